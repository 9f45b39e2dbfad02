package dev.pier.hostagent.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pier.api.HealthCheck;
import dev.pier.api.JobState;
import dev.pier.api.host.HostAgentClient;
import dev.pier.api.host.HostInfo;
import dev.pier.api.host.HostJob;
import dev.pier.api.host.JobSpec;
import dev.pier.api.host.LogEntry;
import dev.pier.api.http.PierApiException;
import dev.pier.hostagent.RunningAgent;
import dev.pier.testkit.DockerEngine;
import java.io.Closeable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The job API of one real agent over the real Docker engine. */
public class HostAgentApiTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static String image;
    private static RunningAgent agent;
    private static HostAgentClient client;

    @BeforeAll
    static void startAgent() {
        image = DockerEngine.testImage();
        agent = RunningAgent.start(RunningAgent.newHostId());
        client = agent.client();
    }

    @AfterAll
    static void stopAgent() {
        if (agent != null) {
            try {
                agent.close();
            } finally {
                agent.removeContainers();
            }
        }
    }

    private static String newJobId() {
        return "job-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static JobSpec web(String id, String image, String greeting) {
        return JobSpec.of(id, "shop", "web", image, List.of("sh", "-c", "echo \"hello $GREETING on $PORT\"; "
                        + "mkdir -p /tmp/www; echo ok >/tmp/www/index.html; exec httpd -f -p $PORT -h /tmp/www"))
                .withEnv(Map.of("GREETING", greeting)).withPort(8000).withMemoryMb(64);
    }

    private static HostJob awaitState(String id, JobState state) {
        return await().atMost(WAIT).until(() -> client.job(id), job -> job.state() == state);
    }

    @Test
    void runsAWebJobUntilStoppedWithEventsLogsAndIdempotence() throws Exception {
        String id = newJobId();
        List<HostJob> seen = new CopyOnWriteArrayList<>();
        AtomicReference<HostInfo> host = new AtomicReference<>();
        try (Closeable events = client.events(new HostAgentClient.EventListener() {
            @Override
            public void job(HostJob job) {
                if (job.id().equals(id)) {
                    seen.add(job);
                }
            }

            @Override
            public void host(HostInfo info) {
                host.set(info);
            }
        }, failure -> {
        })) {
            await().atMost(WAIT).until(() -> host.get() != null);
            JobSpec spec = web(id, image, "world");

            HostJob started = client.start(spec);

            assertThat(started.state()).isIn(JobState.STARTING, JobState.UP);
            assertThat(started.hostId()).isEqualTo(agent.hostId());
            assertThat(started.address()).startsWith("127.0.0.1:");
            HostJob up = awaitState(id, JobState.UP);
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + up.address() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.body()).isEqualTo("ok\n");
            assertThat(client.start(spec)).isEqualTo(client.job(id));
            assertThatThrownBy(() -> client.start(web(id, image, "someone else")))
                    .isInstanceOfSatisfying(PierApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(409);
                        assertThat(e.field()).isEqualTo("id");
                    });
            assertThat(client.jobs()).extracting(HostJob::id).contains(id);
            assertThat(client.host().allocatedMemoryMb()).isGreaterThanOrEqualTo(64);
            List<LogEntry> logs = new CopyOnWriteArrayList<>();
            client.logs(id, 10, false, logs::add);
            assertThat(logs).singleElement().satisfies(line -> {
                assertThat(line.text()).isEqualTo("hello world on 8000");
                assertThat(line.stream()).isEqualTo("stdout");
                assertThat(line.timestamp()).isNotNull();
            });

            assertThat(client.stop(id).state()).isIn(JobState.STOPPING, JobState.DOWN);
            HostJob down = awaitState(id, JobState.DOWN);

            assertThat(down.reason()).isEqualTo("stopped");
            await().atMost(WAIT).until(() -> seen.stream().anyMatch(j -> j.state() == JobState.DOWN));
            List<JobState> states = seen.stream().map(HostJob::state).distinct().toList();
            assertThat(states).containsSubsequence(JobState.STARTING, JobState.UP, JobState.STOPPING, JobState.DOWN);
            for (int i = 1; i < states.size(); i++) {
                assertThat(states.get(i - 1).canMoveTo(states.get(i))).isTrue();
            }
            List<LogEntry> after = new CopyOnWriteArrayList<>();
            client.logs(id, null, false, after::add);
            assertThat(after).extracting(LogEntry::text).contains("hello world on 8000");
            client.remove(id);
            assertThatThrownBy(() -> client.job(id)).isInstanceOfSatisfying(PierApiException.class,
                    e -> assertThat(e.status()).isEqualTo(404));
        }
    }

    @Test
    void followsLogsUntilTheJobEnds() {
        String id = newJobId();
        client.start(JobSpec.of(id, "shop", "worker", image,
                List.of("sh", "-c", "for i in 1 2 3; do echo tick $i; sleep 0.3; done")));
        List<LogEntry> lines = new CopyOnWriteArrayList<>();

        client.logs(id, null, true, lines::add);

        assertThat(lines).extracting(LogEntry::text).containsExactly("tick 1", "tick 2", "tick 3");
        assertThat(awaitState(id, JobState.DOWN).exitStatus()).isZero();
    }

    @Test
    void reportsCrashesOutOfMemoryAndFailures() {
        String crash = newJobId();
        String oom = newJobId();
        String noImage = newJobId();
        String noCommand = newJobId();
        client.start(JobSpec.of(crash, "shop", "worker", image, List.of("sh", "-c", "exit 3")));
        client.start(JobSpec.of(oom, "shop", "worker", image,
                List.of("sh", "-c", "exec dd if=/dev/zero of=/dev/null bs=96M count=1")).withMemoryMb(24));
        HostJob failedImage = client.start(JobSpec.of(noImage, "shop", "worker", "pier/no-such-image:1",
                List.of("true")));
        HostJob failedCommand = client.start(JobSpec.of(noCommand, "shop", "worker", image,
                List.of("/no/such/program")));

        assertThat(failedImage.state()).isEqualTo(JobState.FAILED);
        assertThat(failedImage.reason()).contains("pier/no-such-image:1");
        assertThat(failedCommand.state()).isEqualTo(JobState.FAILED);
        assertThat(failedCommand.reason()).contains("/no/such/program");
        HostJob crashed = awaitState(crash, JobState.CRASHED);
        assertThat(crashed.exitStatus()).isEqualTo(3);
        assertThat(crashed.reason()).isEqualTo("exited with status 3");
        assertThat(awaitState(oom, JobState.CRASHED).reason()).contains("out of memory");
        assertThat(client.host().allocatedMemoryMb()).isZero();
    }

    @Test
    void staysStartingUntilTheHttpHealthCheckAnswers2xx() {
        String missing = newJobId();
        String ready = newJobId();
        HealthCheck check = HealthCheck.http("/ready.txt").withGrace(30);
        client.start(JobSpec.of(missing, "shop", "web", image, List.of("sh", "-c",
                "mkdir -p /tmp/www; exec httpd -f -p $PORT -h /tmp/www")).withPort(8000).withHealthCheck(check));
        client.start(JobSpec.of(ready, "shop", "web", image, List.of("sh", "-c",
                "mkdir -p /tmp/www; echo ready >/tmp/www/ready.txt; exec httpd -f -p $PORT -h /tmp/www"))
                .withPort(8000).withHealthCheck(check));

        awaitState(ready, JobState.UP);

        // Same image and server, but its health path answers 404: it is not up.
        assertThat(client.job(missing).state()).isEqualTo(JobState.STARTING);
        client.stop(missing);
        client.stop(ready);
        assertThat(awaitState(missing, JobState.DOWN).reason()).isEqualTo("stopped");
    }

    @Test
    void aCheckWantsItsOwnStatusAndAJobThatNeverPassesItEndsNamingTheCheck() {
        String notFound = newJobId();
        String neverServes = newJobId();
        // the check wants the 404 this server gives for a missing file: the job is up
        client.start(JobSpec.of(notFound, "shop", "web", image, List.of("sh", "-c",
                "mkdir -p /tmp/www; exec httpd -f -p $PORT -h /tmp/www")).withPort(8000)
                .withHealthCheck(HealthCheck.http("/missing").withStatus(404).withGrace(30)));
        // listens on another port than the one it was given: its check can never pass
        client.start(JobSpec.of(neverServes, "shop", "web", image, List.of("sh", "-c",
                "mkdir -p /tmp/www; exec httpd -f -p 9999 -h /tmp/www")).withPort(8000)
                .withHealthCheck(HealthCheck.http("/").withGrace(2)));
        awaitState(notFound, JobState.UP);
        assertThat(awaitState(neverServes, JobState.CRASHED).reason())
                .isEqualTo("health check (GET / on port 8000 answering 2xx) did not pass within 2 s: nothing in its "
                        + "container listens on port 8000 (the app must listen on $PORT)");
        client.stop(notFound);
        awaitState(notFound, JobState.DOWN);
    }

    @Test
    void aWebJobIsUpOnlyOnceItsAppListensOnEveryAddressAndOneOnLoopbackOnlyIsToldSo() {
        // Docker's proxy accepts on the published port in all three cases; only the app's own listening socket,
        // read from its container, tells them apart.
        String listens = newJobId();
        String loopback = newJobId();
        String never = newJobId();
        client.start(JobSpec.of(listens, "shop", "web", image, List.of("sh", "-c",
                "mkdir -p /tmp/www; sleep 1; exec httpd -f -p $PORT -h /tmp/www")).withPort(8000));
        client.start(JobSpec.of(loopback, "shop", "web", image, List.of("sh", "-c",
                "mkdir -p /tmp/www; exec httpd -f -p 127.0.0.1:$PORT -h /tmp/www")).withPort(8000)
                .withHealthCheck(HealthCheck.http(null).withGrace(3)));
        client.start(JobSpec.of(never, "shop", "web", image, List.of("sleep", "600")).withPort(8000)
                .withHealthCheck(HealthCheck.http(null).withGrace(3)));

        awaitState(listens, JobState.UP);
        assertThat(awaitState(loopback, JobState.CRASHED).reason()).isEqualTo("health check (a TCP connection to port "
                + "8000) did not pass within 3 s: the app listens on port 8000 on a loopback address only (127.0.0.1 or"
                + " ::1), which nothing outside its container reaches: listen on 0.0.0.0, all addresses, on $PORT");
        assertThat(awaitState(never, JobState.CRASHED).reason())
                .isEqualTo("health check (a TCP connection to port 8000) did not pass within 3 s: nothing in its "
                        + "container listens on port 8000 (the app must listen on $PORT)");
        client.stop(listens);
        awaitState(listens, JobState.DOWN);
    }

    @Test
    void crashesAnUpJobWhosePortStopsServing() {
        String id = newJobId();
        client.start(JobSpec.of(id, "shop", "web", image, List.of("sh", "-c", "mkdir -p /tmp/www; "
                + "httpd -p $PORT -h /tmp/www; echo serving; sleep 3; killall httpd; echo stopped serving; "
                + "exec sleep 600")).withPort(8000));
        awaitState(id, JobState.UP);

        HostJob crashed = awaitState(id, JobState.CRASHED);

        assertThat(crashed.reason()).isEqualTo("health check (a TCP connection to port 8000) failed 3 times in a row while up");
    }

    @Test
    void refusesBadInputWithAProblemNamingTheField() {
        Map<String, String> huge = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            huge.put("VAR_" + i, "x".repeat(2000));
        }
        Map<JobSpec, String> bad = Map.of(
                JobSpec.of("bad id!", "shop", "web", image, List.of("true")), "id",
                JobSpec.of(newJobId(), "Shop", "web", image, List.of("true")), "app",
                JobSpec.of(newJobId(), "shop", "web", "", List.of("true")), "image",
                JobSpec.of(newJobId(), "shop", "web", image, List.of("true")).withEnv(Map.of("1BAD", "x")), "env",
                JobSpec.of(newJobId(), "shop", "web", image, List.of("true")).withEnv(huge), "env",
                JobSpec.of(newJobId(), "shop", "web", image, List.of("true")).withMemoryMb(1), "memory_mb",
                JobSpec.of(newJobId(), "shop", "web", image, List.of("true")).withPort(70000), "port",
                JobSpec.of(newJobId(), "shop", "web", image, List.of("true")).withMemoryMb(64)
                        .withPort(80).withEnv(Map.of("PORT", "1")), "env");
        bad.forEach((spec, field) -> assertThatThrownBy(() -> client.start(spec))
                .as(field).isInstanceOfSatisfying(PierApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo(field);
                }));
        assertThatThrownBy(() -> client.start(JobSpec.of(newJobId(), "shop", "web", image, List.of("true"))
                .withMemoryMb(2048))).isInstanceOfSatisfying(PierApiException.class,
                e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> new HostAgentClient(agent.url(), "wrong").jobs())
                .isInstanceOfSatisfying(PierApiException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThat(client.host().id()).isEqualTo(agent.hostId());
    }
}
