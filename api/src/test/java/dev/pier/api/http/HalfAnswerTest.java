package dev.pier.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
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
    private ServerSocket server;
    /** Whether the client closed the connection it was half answered on. */
    private final AtomicBoolean clientHungUp = new AtomicBoolean();

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::serve, "half-answering-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    // the request's headers
                }
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                        + "{\"hosts\":[").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream rest = socket.getInputStream();
                if (rest.read() == -1) { // blocks until the client sends more or hangs up
                    clientHungUp.set(true);
                }
            } catch (IOException e) {
                clientHungUp.set(true); // reset by the client
            }
        }
    }

    @Test
    void anAnswerThatStopsHalfwayEndsTheCallAfterTheTimeoutAndItsConnection() {
        JsonHttpClient client = new JsonHttpClient(URI.create("http://127.0.0.1:" + server.getLocalPort()), "k3y",
                Duration.ofSeconds(1));

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(() -> client.get("/view", Map.class))
                .isInstanceOf(PierApiException.class)
                .hasMessage("the answer from http://127.0.0.1:" + server.getLocalPort()
                        + " began but did not end within 1 s"));
        await().atMost(Duration.ofSeconds(10)).untilTrue(clientHungUp);
    }
}
