package dev.pier.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PlainHttpOnlyTest {
    @Test
    void aPlainHttpClientCanNeverSpeakTls() throws Exception {
        HttpClient client = PlainHttpOnly.withoutTls(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))).build();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + listener.getLocalPort() + "/"))
                    .timeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.discarding()))
                    .hasStackTraceContaining("this client speaks plain http:// only");
        }
    }

    @Test
    void itsContextRefusesToBeInitialised() {
        HttpClient client = PlainHttpOnly.withoutTls(HttpClient.newBuilder()).build();
        assertThat(client.sslContext().getProtocol()).isEqualTo("none");
        assertThatThrownBy(() -> client.sslContext().init(null, null, null))
                .hasMessageContaining("plain http:// only");
    }
}
