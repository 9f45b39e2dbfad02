package dev.pier.api.attach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.pier.api.JobState;
import dev.pier.api.http.PierApiException;
import dev.pier.api.http.RawHttpServer;
import java.io.BufferedReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttachProtocolTest {
    private static final AttachSocket.Handler IGNORED = new AttachSocket.Handler() {
        @Override
        public void binary(byte[] bytes) {
        }

        @Override
        public void text(String message) {
        }

        @Override
        public void closed(int code, String reason) {
        }

        @Override
        public void failed(Throwable error) {
        }
    };

    @Test
    void closeCodesCarryTheHttpStatus() {
        assertThat(AttachProtocol.closeCode(404)).isEqualTo(4404);
        assertThat(AttachProtocol.closeCode(503)).isEqualTo(AttachProtocol.UNAVAILABLE);
        assertThat(AttachProtocol.closeCode(200)).isEqualTo(AttachProtocol.INTERNAL);
        assertThat(AttachProtocol.httpStatus(4409)).isEqualTo(409);
        assertThat(AttachProtocol.httpStatus(1000)).isEqualTo(200);
        assertThat(AttachProtocol.httpStatus(1006)).as("a broken connection is an unreachable service").isZero();
        assertThat(AttachProtocol.httpStatus(1009)).isEqualTo(413);
        assertThat(AttachProtocol.httpStatus(1011)).isEqualTo(500);
    }

    @Test
    void reasonsAreOneLineOfAtMost123Bytes() {
        assertThat(AttachProtocol.reason("job x is down\nsee its log")).isEqualTo("job x is down see its log");
        String long_ = "é".repeat(100);
        String cut = AttachProtocol.reason(long_);
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(cut).startsWith("éé").endsWith("…");
        assertThat(AttachProtocol.reason(null)).isEqualTo("null");
    }

    @Test
    void aResizeRoundTrips() {
        String message = AttachProtocol.resizeMessage(120, 40);
        assertThat(message).isEqualTo("{\"resize\":{\"columns\":120,\"rows\":40}}");
        assertThat(AttachProtocol.parseResize(message)).isEqualTo(new AttachProtocol.Resize(120, 40));
        assertThat(AttachProtocol.parseResize("{\"resize\":{\"rows\":1,\"columns\":1000}}"))
                .isEqualTo(new AttachProtocol.Resize(1000, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hello", "[]", "{}", "{\"stdin\":\"ls\"}", "{\"resize\":1}",
            "{\"resize\":{\"columns\":0,\"rows\":10}}", "{\"resize\":{\"columns\":10,\"rows\":1001}}",
            "{\"resize\":{\"columns\":10}}", "{\"resize\":{\"columns\":10.5,\"rows\":3}}",
            "{\"resize\":{\"columns\":\"10\",\"rows\":3}}", "{\"resize\":{\"columns\":10,\"rows\":3,\"x\":1}}",
            "{\"resize\":{\"columns\":10,\"rows\":3},\"more\":true}"})
    void anythingElseIsRefusedWithTheShapeExpected(String text) {
        assertThatThrownBy(() -> AttachProtocol.parseResize(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{\"resize\":{\"columns\":C,\"rows\":R}}");
    }

    @Test
    void theEndOfInputIsOneExactMessage() {
        assertThat(AttachProtocol.isEndOfInput(AttachProtocol.END_OF_INPUT)).isTrue();
        assertThat(AttachProtocol.isEndOfInput("{ \"eof\" : true }")).isTrue();
        for (String other : new String[] {"", "eof", "{}", "{\"eof\":false}", "{\"eof\":\"true\"}", "{\"eof\":1}",
                "{\"eof\":true,\"resize\":{\"columns\":1,\"rows\":1}}", AttachProtocol.resizeMessage(80, 24)}) {
            assertThat(AttachProtocol.isEndOfInput(other)).as(other).isFalse();
        }
        assertThatThrownBy(() -> AttachProtocol.parseResize("{\"eof\":false}")).hasMessageContaining("{\"eof\":true}");
    }

    @Test
    void theExitMessageRoundTrips() {
        JobExit crashed = new JobExit(3, JobState.CRASHED, "exited with status 3");
        String message = AttachProtocol.exitMessage(crashed);
        assertThat(message).contains("\"exit_status\":3", "\"state\":\"crashed\"");
        assertThat(AttachProtocol.parseExit(message)).contains(crashed);
        assertThat(AttachProtocol.parseExit(AttachProtocol.exitMessage(new JobExit(null, JobState.FAILED, "bad image"))))
                .contains(new JobExit(null, JobState.FAILED, "bad image"));
        assertThat(AttachProtocol.parseExit("{\"resize\":{}}")).isEmpty();
        assertThat(AttachProtocol.parseExit("{\"state\":\"sleeping\"}")).isEmpty();
        assertThat(AttachProtocol.parseExit("not json")).isEmpty();
    }

    @Test
    void aRefusedHandshakeIsTheServersProblem() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"the cluster key is wrong\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI uri = URI.create("ws://127.0.0.1:" + server.getAddress().getPort() + "/jobs/x/attach");
            assertThatThrownBy(() -> AttachSocket.open(HttpClient.newHttpClient(), uri, "wrong", Duration.ofSeconds(5),
                    IGNORED))
                    .isInstanceOfSatisfying(PierApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.getMessage()).isEqualTo("the cluster key is wrong");
                    });
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anUpgradeThatBreaksTheProtocolSaysWhichRule() throws Exception {
        try (RawHttpServer server = RawHttpServer.start("breaking-upgrade", socket -> {
            BufferedReader request = RawHttpServer.reader(socket);
            RawHttpServer.readHead(request);
            // What Tomcat answers on the last request a kept-alive connection may carry.
            socket.getOutputStream().write(("HTTP/1.1 101 \r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
                    + "Connection: close\r\nSec-WebSocket-Accept: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            request.readLine(); // until the client hangs up
        })) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/jobs/x/attach");
            assertThatThrownBy(() -> AttachSocket.open(HttpClient.newHttpClient(), uri, "key", Duration.ofSeconds(5),
                    IGNORED))
                    .isInstanceOfSatisfying(PierApiException.class, e -> assertThat(e.getMessage())
                            .as("not a bare 'HTTP 101'")
                            .startsWith("the WebSocket handshake with 127.0.0.1:" + server.port() + " failed: ")
                            .contains("Connection"));
        }
    }
}
