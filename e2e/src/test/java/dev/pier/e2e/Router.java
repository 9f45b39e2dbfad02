package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.testkit.Command;
import java.time.Duration;
import java.util.List;

/**
 * The cluster's HTTP router as a browser sees it, through {@code curl}: every request goes to 127.0.0.1 on the
 * router's port with the {@code Host} header of the domain asked for.
 */
final class Router {
    static final Duration SERVE = Duration.ofMinutes(4);

    /** The status code and body of one answer; status 0 when curl got no HTTP answer. */
    record Answer(int status, String body) {
    }

    private final String address;
    private final int port;

    Router(int port) {
        this("127.0.0.1", port);
    }

    /** The router at {@code address} (a machine's, in machine mode: docs/machines.md). */
    Router(String address, int port) {
        this.address = address;
        this.port = port;
    }

    /** {@code curl -H 'Host: DOMAIN' http://ADDRESS:PORT/PATH}. */
    Answer get(String domain, String path) {
        return send("GET", domain, path);
    }

    /** {@code curl -X POST -H 'Host: DOMAIN' http://ADDRESS:PORT/PATH}, without a body. */
    Answer post(String domain, String path) {
        return send("POST", domain, path);
    }

    private Answer send(String method, String domain, String path) {
        Command.Result result = Command.run(Duration.ofSeconds(30), List.of("curl", "-sS", "-m", "15", "-X", method,
                "-o", "-", "-w", "\n%{http_code}", "-H", "Host: " + domain, "http://" + address + ":" + port + path));
        String output = result.output();
        int newline = output.lastIndexOf('\n');
        String code = output.substring(newline + 1).strip();
        int status = code.matches("[0-9]{3}") ? Integer.parseInt(code) : 0;
        return new Answer(status, newline < 0 ? output : output.substring(0, newline));
    }

    Answer get(String domain) {
        return get(domain, "/");
    }

    /** The app's default domain, {@code APP.pier.localhost}. */
    static String domainOf(String app) {
        return app + ".pier.localhost";
    }

    /** Waits until the domain answers 200 with a body containing {@code expected}. */
    void awaitServing(String domain, String expected) {
        await().atMost(SERVE).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Answer answer = get(domain);
            assertThat(answer.status()).as("status of %s: %s", domain, answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains(expected);
        });
    }

    /** Waits until the domain answers {@code status}. */
    void awaitStatus(String domain, int status) {
        await().atMost(SERVE).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(get(domain).status()).as("status of %s", domain).isEqualTo(status));
    }
}
