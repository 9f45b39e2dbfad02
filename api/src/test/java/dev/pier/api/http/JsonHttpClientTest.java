package dev.pier.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JsonHttpClientTest {
    private HttpServer server;
    private JsonHttpClient client;
    private final CountDownLatch streamMayEnd = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/problem", exchange -> {
            byte[] body = "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"app name 'X' is invalid\",\"field\":\"name\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/html", exchange -> {
            byte[] body = "<html>oops</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(502, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/echo", exchange -> {
            byte[] body = ("{\"auth\":\"" + exchange.getRequestHeaders().getFirst("Authorization") + "\",\"some_field\":1}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/stream", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write("{\"name\":\"a\"}\n{\"name\":\"b\"}\n".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            try {
                streamMayEnd.await(30, TimeUnit.SECONDS); // an open stream, as a running job's log is
                exchange.getResponseBody().write("{\"name\":\"c\"}\n".getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException | java.io.IOException e) {
                // the client went away
            }
            exchange.close();
        });
        server.start();
        client = new JsonHttpClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), "k3y",
                Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        streamMayEnd.countDown();
        server.stop(0);
    }

    record Echo(String auth, int someField) {
    }

    record Item(String name) {
    }

    @Test
    void anNdjsonStreamIsLeftAsSoonAsTheSinkHasWhatItWanted() {
        List<String> seen = new ArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + "/stream")).GET().build();
        // (the stream stays open for 30 s: returning at all shows it was left, not read to its end)
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> client.readNdjsonWhile(request, Item.class, item -> {
            seen.add(item.name());
            return !item.name().equals("b");
        }, "the stream"));
        assertThat(seen).containsExactly("a", "b");
    }

    @Test
    void decodesJsonInSnakeCaseAndSendsTheKey() {
        assertThat(client.get("/echo", Echo.class)).isEqualTo(new Echo("Bearer k3y", 1));
    }

    @Test
    void aProblemBecomesATypedException() {
        assertThatThrownBy(() -> client.get("/problem", Map.class)).isInstanceOfSatisfying(PierApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.title()).isEqualTo("Bad Request");
            assertThat(e.getMessage()).isEqualTo("app name 'X' is invalid");
            assertThat(e.field()).isEqualTo("name");
        });
    }

    @Test
    void aNonProblemErrorStillReadsWellAndAnUnreachableServerSaysSo() {
        assertThatThrownBy(() -> client.get("/html", Map.class)).isInstanceOfSatisfying(PierApiException.class, e -> {
            assertThat(e.status()).isEqualTo(502);
            assertThat(e.getMessage()).contains("oops");
        });
        server.stop(0);
        assertThatThrownBy(() -> client.get("/echo", Map.class)).isInstanceOfSatisfying(PierApiException.class, e -> {
            assertThat(e.status()).isZero();
            assertThat(e.getMessage()).startsWith("cannot reach http://127.0.0.1:");
        });
    }
}
