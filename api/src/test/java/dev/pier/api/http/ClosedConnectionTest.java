package dev.pier.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.type.TypeFactory;
import dev.pier.api.host.HostAgentClient;
import dev.pier.api.host.JobSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection that closes before the answer comes: what the scheduler met on its first start on a machine that had
 * lost its power and come back (its kept-alive connection to the old agent was dead). A request that may be sent
 * twice goes again on a new connection; one that may not is not sent again, and the error says what happened.
 */
class ClosedConnectionTest {
    /** A server that reads each request and, for its first {@code dropped} connections, closes without answering. */
    private RawHttpServer server;
    private final AtomicInteger dropped = new AtomicInteger();
    /** Whether a dropped connection is reset (RST) rather than closed. */
    private volatile boolean reset;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = RawHttpServer.start("closing-server", this::answer);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private void answer(Socket socket) throws IOException {
        BufferedReader in = RawHttpServer.reader(socket);
        List<String> head = RawHttpServer.readHead(in);
        String requestLine = head.isEmpty() ? null : head.get(0);
        int length = 0;
        String key = null;
        for (String line : head.subList(Math.min(1, head.size()), head.size())) {
            String lower = line.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            } else if (lower.startsWith("idempotency-key:")) {
                key = line.substring(16).strip();
            }
        }
        in.skip(length);
        requests.add(requestLine + (key == null ? "" : " key=" + key));
        if (dropped.getAndDecrement() > 0) {
            if (reset) {
                socket.setSoLinger(true, 0); // closing sends a reset
            }
            return; // closed without a byte of answer
        }
        byte[] body = "{\"id\":\"job-1\",\"state\":\"starting\"}".getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private JsonHttpClient client() {
        return new JsonHttpClient(URI.create(server.url()), "k3y", Duration.ofSeconds(5));
    }

    @Test
    void aJobStartWhoseConnectionClosesIsSentAgainOnANewOneWithItsIdAsItsKey() {
        dropped.set(1);
        HostAgentClient agent = new HostAgentClient(URI.create(server.url()), "k3y");

        var job = agent.start(JobSpec.of("job-1", "app", "web", "pier/stack-run", List.of("start", "web")));

        assertThat(job.id()).isEqualTo("job-1");
        assertThat(requests).containsExactly("POST /jobs HTTP/1.1 key=job-1", "POST /jobs HTTP/1.1 key=job-1");
    }

    @Test
    void aDeleteIsSentAgainButAtMostThreeTimesAndTheErrorSaysTheConnectionClosed() {
        dropped.set(10);

        assertThatThrownBy(() -> client().delete("/jobs/job-1"))
                .isInstanceOf(PierApiException.class)
                .hasMessage(server.url()
                        + " closed the connection before its whole answer came (sent 3 times)");
        assertThat(requests).hasSize(JsonHttpClient.SENDS).allMatch(r -> r.startsWith("DELETE /jobs/job-1 "));
    }

    @Test
    void aPostWithoutAKeyIsSentOnceTheServiceMayHaveActedOnIt() {
        dropped.set(1);

        assertThatThrownBy(() -> client().post("/apps", Map.of("name", "a"), Map.class))
                .isInstanceOf(PierApiException.class)
                .hasMessageEndingWith(" closed the connection before its whole answer came (sent 1 time)");
        assertThat(requests).containsExactly("POST /apps HTTP/1.1");
    }

    @Test
    void aConnectionResetBeforeTheAnswerIsSentAgainToo() {
        dropped.set(1);
        reset = true;

        client().delete("/jobs/job-1");

        assertThat(requests).hasSize(2);
    }

    @Test
    void whatCountsAsAConnectionClosedBeforeTheAnswer() {
        // what the scheduler met on its first start on a machine back from a power loss: the JDK's message over a
        // cause that is neither an end of stream nor "Connection reset"
        assertThat(JsonHttpClient.closedBeforeTheAnswer(new IOException("HTTP/1.1 header parser received no bytes",
                new IOException("Connection reset by peer")))).isTrue();
        assertThat(JsonHttpClient.closedBeforeTheAnswer(new IOException("Broken pipe"))).isTrue();
        assertThat(JsonHttpClient.closedBeforeTheAnswer(new IOException("x", new java.io.EOFException()))).isTrue();
        assertThat(JsonHttpClient.closedBeforeTheAnswer(new java.net.http.HttpTimeoutException("request timed out")))
                .isFalse();
        assertThat(JsonHttpClient.closedBeforeTheAnswer(new java.net.ConnectException("Connection refused")))
                .isFalse();
    }

    @Test
    void whatMaySafelyGoTwice() {
        JsonHttpClient client = client();
        HttpRequest keyed = client.request("/jobs").header(JsonHttpClient.IDEMPOTENCY_KEY, "job-1")
                .POST(HttpRequest.BodyPublishers.noBody()).build();

        assertThat(JsonHttpClient.idempotent(client.request("/jobs/a").DELETE().build())).isTrue();
        assertThat(JsonHttpClient.idempotent(client.request("/jobs").GET().build())).isTrue();
        assertThat(JsonHttpClient.idempotent(keyed)).isTrue();
        assertThat(JsonHttpClient.idempotent(client.request("/apps").POST(HttpRequest.BodyPublishers.noBody()).build()))
                .isFalse();
        assertThat(JsonHttpClient.idempotent(client.request("/apps/a")
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build())).isFalse();
        Map<String, Object> answer = client.send(client.request("/jobs").GET().build(),
                TypeFactory.defaultInstance().constructType(Map.class));
        assertThat(answer).containsEntry("id", "job-1");
    }
}
