package dev.pier.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class EtcdServerTest {

    @Test
    void startsStopsAndRestartsOnTheSamePortAndDataThenCleansUp() throws Exception {
        EtcdServer etcd = EtcdServer.start();
        try (etcd) {
            String endpoint = etcd.endpoint();
            assertThat(health(endpoint)).contains("true");
            etcd.stop();
            assertThat(etcd.isRunning()).isFalse();
            etcd.restart();
            assertThat(etcd.endpoint()).isEqualTo(endpoint);
            assertThat(health(endpoint)).contains("true");
        }
        assertThat(Files.exists(etcd.dataDir())).isFalse();
    }

    private static String health(String endpoint) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(endpoint + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
