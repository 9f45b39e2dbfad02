package dev.pier.addon.redis;

import static org.awaitility.Awaitility.await;

import dev.pier.addon.redis.provision.RedisServerAccess;
import dev.pier.testkit.AddonImages;
import dev.pier.testkit.Command;
import dev.pier.testkit.DockerEngine;
import org.awaitility.core.ConditionTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A server of the pier/redis image (docker/build-addons, built once and then found by its recipe's tag), run as the
 * system app runs it: {@code /pier/redis/start} with {@code REDIS_PASSWORD}, its data on a Docker volume, published
 * at 127.0.0.1 on a port Docker picks.
 */
public final class RedisContainer implements AutoCloseable {
    public static final Duration STEP = Duration.ofMinutes(10);
    public final String image;
    public final String password;
    public final String container;
    private final String runId = DockerEngine.newRunId();
    private final String volume = "pier-test-redis-" + runId;

    public RedisContainer(String password) {
        DockerEngine.require();
        this.image = AddonImages.build(Path.of("").toAbsolutePath().getParent()).image("redis");
        this.password = password;
        this.container = Command.check(STEP, List.of("docker", "run", "-d", "--label", DockerEngine.TEST_LABEL + "="
                + runId, "-e", "REDIS_PASSWORD=" + password, "-e", "PORT=6379", "-p", "127.0.0.1::6379",
                "-v", volume + ":/var/lib/redis/data", image, "/pier/redis/start")).strip();
        try {
            awaitUp();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Where the server is published on this machine, {@code 127.0.0.1:PORT} (it changes across a restart). */
    public String address() {
        return Command.check(STEP, List.of("docker", "port", container, "6379/tcp")).strip().lines()
                .filter(line -> line.startsWith("127.0.0.1:")).findFirst().orElseThrow();
    }

    public RedisServerAccess access() {
        return new RedisServerAccess(password);
    }

    /** {@code docker restart} (SIGTERM: the server writes its append-only file out), then waits until it answers. */
    public void restart() {
        Command.check(STEP, List.of("docker", "restart", container));
        awaitUp();
    }

    private void awaitUp() {
        RedisServerAccess access = access();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .untilAsserted(() -> access.ping(address()));
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("the Redis server in container " + container + " is not up after 60 s; "
                    + "its log:\n" + Command.run(STEP, List.of("docker", "logs", "--tail", "20", container)).output(), e);
        }
    }

    @Override
    public void close() {
        DockerEngine.removeTestContainers(runId);
        Command.run(STEP, List.of("docker", "volume", "rm", "-f", volume));
    }
}
