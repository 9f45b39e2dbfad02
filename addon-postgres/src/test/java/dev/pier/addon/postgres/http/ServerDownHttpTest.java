package dev.pier.addon.postgres.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pier.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A server that does not answer: provisioning is a 503 that names the server and the cause, never a 500. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class ServerDownHttpTest {
    static final String KEY = "provider-test-key";
    static final int PORT = FreePorts.next();
    static final int NOBODY = FreePorts.next();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add("pier.cluster-key", () -> KEY);
        registry.add("pier.addon-postgres.server-address", () -> "127.0.0.1:" + NOBODY);
        registry.add("pier.addon-postgres.server-job-address", () -> "172.31.255.1:55432");
    }

    @Test
    void provisioningAnswers503NamingTheServer() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + PORT + "/resources")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(new ObjectMapper().readTree(answer.body()).get("detail").asText())
                .startsWith("the PostgreSQL server of this provider at 127.0.0.1:" + NOBODY + " cannot be used now: ")
                .contains("Connection to 127.0.0.1:" + NOBODY + " refused");
    }
}
