package dev.pier.hostagent.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.HealthCheck;
import dev.pier.testkit.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The probes against real sockets on the loopback. */
class HealthProbeTest {
    private final HealthProbe probe = new HealthProbe();

    @Test
    void aListenerThatKeepsTheConnectionOpenServesAndOneThatClosesItAtOnceDoesNot() throws IOException {
        try (ServerSocket serving = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ServerSocket closing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> acceptAndHold(serving));
            CompletableFuture.runAsync(() -> acceptAndClose(closing));

            assertThat(probe.tcp("127.0.0.1", serving.getLocalPort(), HealthCheck.DEFAULT_TIMEOUT).serves()).isTrue();
            assertThat(probe.tcp("127.0.0.1", closing.getLocalPort(), HealthCheck.DEFAULT_TIMEOUT))
                    .as("what Docker's proxy does while nothing listens in the container")
                    .isEqualTo(PortFinding.not("a connection to 127.0.0.1:" + closing.getLocalPort()
                            + " was closed at once"));
            int refusing = FreePorts.next();
            assertThat(probe.tcp("127.0.0.1", refusing, HealthCheck.DEFAULT_TIMEOUT)).as("refused")
                    .isEqualTo(PortFinding.not("a connection to 127.0.0.1:" + refusing + " failed (Connection refused)"));
        }
    }

    /**
     * A listener whose accept queue is full (an app behind on its accepts, as on a loaded host) gets a new
     * connection only when the kernel retries the dropped SYN, about a second later: a probe that waits as long as
     * the check's timeout finds it serving once the app catches up; one that gave up after 300 ms did not.
     */
    @Test
    void theTcpCheckWaitsForTheConnectionAsLongAsTheChecksTimeout() throws Exception {
        try (ServerSocket behind = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = behind.getLocalPort();
            java.util.List<Socket> waiting = new java.util.ArrayList<>();
            try {
                fillAcceptQueue(port, waiting);
                assertThat(probe.tcp("127.0.0.1", port, Duration.ofMillis(300)).serves()).as("300 ms, queue full").isFalse();

                CompletableFuture<Boolean> probed = CompletableFuture.supplyAsync(() ->
                        probe.tcp("127.0.0.1", port, Duration.ofSeconds(10)).serves());
                // the app catches up with its accepts while the probe's first SYN waits to be sent again
                CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() -> {
                    for (int i = 0; i < waiting.size() + 1; i++) {
                        acceptAndHold(behind);
                    }
                });

                assertThat(probed.get(30, TimeUnit.SECONDS)).as("the check's own timeout, queue drained").isTrue();
            } finally {
                waiting.forEach(HealthProbeTest::close);
            }
        }
    }

    /** Connects until a connection is not taken within 200 ms (the kernel dropped its SYN: the queue is full). */
    private static void fillAcceptQueue(int port, java.util.List<Socket> waiting) throws IOException {
        for (int i = 0; i < 16; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
                waiting.add(socket);
            } catch (java.net.SocketTimeoutException full) {
                socket.close();
                return;
            }
        }
        throw new IllegalStateException("the accept queue of a listener with a backlog of 1 never filled");
    }

    @Test
    void theHttpCheckWantsItsStatus() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> answer(server, "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"));

            assertThat(probe.http("127.0.0.1", server.getLocalPort(), HealthCheck.http("/health")).serves()).isTrue();
        }
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> answer(server, "HTTP/1.1 503 Unavailable\r\nContent-Length: 0\r\n\r\n"));

            assertThat(probe.http("127.0.0.1", server.getLocalPort(), HealthCheck.http("/health"))).isEqualTo(
                    PortFinding.not("GET http://127.0.0.1:" + server.getLocalPort() + "/health answered 503"));
        }
    }

    private static void acceptAndHold(ServerSocket server) {
        try {
            Socket held = server.accept();
            CompletableFuture.delayedExecutor(5, TimeUnit.SECONDS).execute(() -> close(held));
        } catch (IOException e) {
            // the test is over
        }
    }

    private static void acceptAndClose(ServerSocket server) {
        try {
            server.accept().close();
        } catch (IOException e) {
            // the test is over
        }
    }

    private static void answer(ServerSocket server, String response) {
        try (Socket socket = server.accept()) {
            socket.getInputStream().read(new byte[4096]);
            OutputStream out = socket.getOutputStream();
            out.write(response.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // the test is over
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closed already
        }
    }
}
