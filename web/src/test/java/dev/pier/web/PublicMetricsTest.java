package dev.pier.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code pier.metrics.public=true} opens {@code /metrics}, and nothing else. */
// metrics export is off in Spring Boot tests unless asked for
@AutoConfigureObservability
@SpringBootTest(classes = PublicMetricsTest.Sample.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"pier.cluster-key=s3cret", "pier.metrics.public=true"})
class PublicMetricsTest {
    @LocalServerPort
    int port;

    @SpringBootApplication
    @RestController
    static class Sample {
        @GetMapping("/things")
        String things() {
            return "[]";
        }
    }

    private int status(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void metricsAnswerWithoutTheKeyOtherPathsStillNeedIt() throws Exception {
        assertThat(status("/metrics")).isEqualTo(200);
        assertThat(status("/things")).isEqualTo(401);
        assertThat(status("/metrics/other")).isEqualTo(401);
    }
}
