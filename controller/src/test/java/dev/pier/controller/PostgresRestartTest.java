package dev.pier.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.NewApp;
import dev.pier.api.controller.ControllerClient;
import dev.pier.testkit.FreePorts;
import dev.pier.testkit.PostgresServer;
import dev.pier.testkit.Requirements;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * PostgreSQL restarted under a controller serving reads (a PostgreSQL of its own, restarted at once so every
 * pooled connection breaks): reads in flight and right after are answered, from a fresh connection.
 */
class PostgresRestartTest {
    private static final String KEY = "pg-restart-key";

    /** Regression (#17, 7): GET /routes right after a PostgreSQL restart answered 500 ("Unable to rollback"). */
    @Test
    void readsAcrossAPostgresRestartAreAnsweredNot500() throws Exception {
        Requirements.require(PostgresServer.findBinDir() != null, "PostgreSQL server binaries (initdb, pg_ctl)");
        try (PostgresServer postgres = PostgresServer.start(PostgresServer.findBinDir())) {
            int port = FreePorts.next();
            try (ConfigurableApplicationContext controller = new SpringApplicationBuilder(ControllerApplication.class)
                    .run("--server.port=" + port, "--server.address=127.0.0.1",
                            "--spring.datasource.url=" + postgres.newDatabase(),
                            "--spring.datasource.username=" + PostgresServer.USER, "--pier.cluster-key=" + KEY)) {
                URI routes = URI.create("http://127.0.0.1:" + port + "/routes");
                new ControllerClient(URI.create("http://127.0.0.1:" + port), KEY).createApp(NewApp.named("steady"));
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                List<String> failures = new CopyOnWriteArrayList<>();
                AtomicInteger answered = new AtomicInteger();
                AtomicBoolean running = new AtomicBoolean(true);
                Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
                List<Thread> clients = IntStream.range(0, 4).mapToObj(i -> new Thread(() -> {
                    for (int n = 0; n < 5_000 && running.get() && Instant.now().isBefore(deadline); n++) {
                        try {
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(routes)
                                    .header("Authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(30)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 200) {
                                answered.incrementAndGet();
                            } else {
                                failures.add(response.statusCode() + " " + response.body());
                            }
                        } catch (IOException | InterruptedException e) {
                            failures.add(e.toString());
                        }
                    }
                })).toList();
                clients.forEach(Thread::start);
                try {
                    await().atMost(Duration.ofSeconds(30)).until(() -> answered.get() > 50);
                    postgres.restart();
                    int before = answered.get();
                    await().atMost(Duration.ofSeconds(60)).until(() -> answered.get() > before + 100);
                } finally {
                    running.set(false);
                    for (Thread client : clients) {
                        client.join();
                    }
                }
                assertThat(failures).as("answers other than 200 across the restart").isEmpty();
            }
        }
    }
}
