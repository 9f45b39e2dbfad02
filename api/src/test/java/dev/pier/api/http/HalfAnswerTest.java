package dev.pier.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A service that starts its answer and never finishes it: what a host leader whose machine lost its power while it
 * sent its view looks like (bench/chaos, 2026-12-08: the scheduler waited for the rest without end). The JDK's
 * request timeout ends with the answer's headers, so the client bounds the whole answer itself, and drops the
 * connection it gave up on.
 */
class HalfAnswerTest {
    private RawHttpServer server;
    /** Whether the client closed the connection it was half answered on. */
    private final AtomicBoolean clientHungUp = new AtomicBoolean();

    @BeforeEach
    void start() throws IOException {
        server = RawHttpServer.start("half-answering-server", this::answerHalf);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private void answerHalf(Socket socket) throws IOException {
        RawHttpServer.readHead(RawHttpServer.reader(socket));
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                + "{\"hosts\":[").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        try {
            if (socket.getInputStream().read() == -1) { // blocks until the client sends more or hangs up
                clientHungUp.set(true);
            }
        } catch (IOException e) {
            clientHungUp.set(true); // reset by the client
        }
    }

    @Test
    void anAnswerThatStopsHalfwayEndsTheCallAfterTheTimeoutAndItsConnection() {
        JsonHttpClient client = new JsonHttpClient(URI.create(server.url()), "k3y", Duration.ofSeconds(1));

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(() -> client.get("/view", Map.class))
                .isInstanceOf(PierApiException.class)
                .hasMessage("the answer from " + server.url() + " began but did not end within 1 s"));
        await().atMost(Duration.ofSeconds(10)).untilTrue(clientHungUp);
    }
}
