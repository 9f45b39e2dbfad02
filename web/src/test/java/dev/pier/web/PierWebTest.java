package dev.pier.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

// metrics export is off in Spring Boot tests unless asked for
@AutoConfigureObservability
@SpringBootTest(classes = PierWebTest.Sample.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"pier.cluster-key=s3cret", "pier.web.max-body-bytes=1024"})
class PierWebTest {
    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @SpringBootApplication
    @RestController
    static class Sample {
        record Thing(String name, int count) {
        }

        @GetMapping("/health")
        String health() {
            return "ok";
        }

        @PostMapping("/things")
        Thing create(@RequestBody Thing thing) {
            return thing;
        }

        @GetMapping("/things")
        java.util.List<Thing> list(@org.springframework.web.bind.annotation.RequestParam(defaultValue = "10") int limit,
                                   @org.springframework.web.bind.annotation.RequestParam(required = false) Long since) {
            return java.util.List.of(new Thing("limit", limit), new Thing("since", since == null ? -1 : since.intValue()));
        }

        @GetMapping("/things/{id}")
        String get(@PathVariable java.util.UUID id) {
            throw ApiProblem.notFound("no thing " + id);
        }
    }

    private HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsOpenEverythingElseNeedsTheKey() throws Exception {
        assertThat(send("GET", "/health", null, null).statusCode()).isEqualTo(200);
        HttpResponse<String> missing = send("POST", "/things", "{\"name\":\"a\",\"count\":1}", null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(send("POST", "/things", "{\"name\":\"a\",\"count\":1}", "wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> ok = send("POST", "/things", "{\"name\":\"a\",\"count\":1}", "s3cret");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"count\":1");
    }

    @Test
    void badJsonIsA400NamingTheField() throws Exception {
        HttpResponse<String> wrongType = send("POST", "/things", "{\"name\":\"a\",\"count\":\"3\"}", "s3cret");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(wrongType.body()).contains("\"field\":\"count\"");
        HttpResponse<String> unknown = send("POST", "/things", "{\"name\":\"a\",\"count\":1,\"colour\":1}", "s3cret");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("unknown field 'colour'");
        HttpResponse<String> missing = send("POST", "/things", "{\"name\":\"a\"}", "s3cret");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("count is required");
        HttpResponse<String> malformed = send("POST", "/things", "{\"name\":", "s3cret");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("malformed JSON");
        assertThat(malformed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void oversizedBodiesAnd404sAreProblems() throws Exception {
        HttpResponse<String> big = send("POST", "/things", "{\"name\":\"" + "x".repeat(2000) + "\"}", "s3cret");
        assertThat(big.statusCode()).isEqualTo(413);
        HttpResponse<String> nowhere = send("GET", "/nowhere", null, "s3cret");
        assertThat(nowhere.statusCode()).isEqualTo(404);
        assertThat(nowhere.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        HttpResponse<String> badId = send("GET", "/things/not-a-uuid", null, "s3cret");
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(badId.body()).contains("\"field\":\"id\"");
        assertThat(send("GET", "/things/" + java.util.UUID.randomUUID(), null, "s3cret").statusCode()).isEqualTo(404);
    }

    /** Issue #17 item 10: Spring's error page answered 500 to any method when asked for directly. */
    @Test
    void theErrorPathAskedForDirectlyIsA404NotA500() throws Exception {
        for (String method : new String[] {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
            HttpResponse<String> response = send(method, "/error", method.equals("GET") ? null : "{}", "s3cret");
            assertThat(response.statusCode()).as(method + " /error").isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.body()).contains("\"status\":404");
        }
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/error"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer s3cret").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(404);
        // errors raised by the container still come out as problems with their own status
        assertThat(send("GET", "/nowhere", null, "s3cret").statusCode()).isEqualTo(404);
    }

    /**
     * Issue #17 item 13: white space around the key was trimmed away, so a key with a space after (or before) it
     * passed for the key. Sent over a raw socket, as java.net.http would not send these headers. White space at the
     * very end of a header line is not part of the header's value in HTTP (RFC 9110, section 5.5): Tomcat drops it
     * before any filter runs, so the cases here keep a character after the space.
     */
    @Test
    void whiteSpaceAroundTheClusterKeyIsNotTrimmedAway() throws Exception {
        for (String value : new String[] {"Bearer  s3cret", "Bearer \ts3cret", "Bearer s3cret \t.", "Bearer s3cret x",
                "Bearer s3cret\u00a0", "bearer s3cret"}) {
            assertThat(rawStatus(value)).as("Authorization: " + value).isEqualTo(401);
        }
        assertThat(rawStatus("Bearer s3cret")).isEqualTo(200);
    }

    private int rawStatus(String authorization) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String request = "GET /things HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + authorization
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.ISO_8859_1)).readLine();
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    /**
     * Found by the contract module's fuzz: Spring reads {@code 0x10} (or {@code #10}) in a query parameter as 16, where
     * the document says a decimal integer and the API reads JSON bodies strictly.
     */
    @Test
    void hexadecimalNumbersInQueryParametersAreRefused() throws Exception {
        for (String query : new String[] {"limit=0x10", "limit=%2310", "limit=0X1f", "since=0x10", "limit=%2B5",
                "limit=%205", "since=1e3"}) {
            HttpResponse<String> response = send("GET", "/things?" + query, null, "s3cret");
            assertThat(response.statusCode()).as(query + ": " + response.body()).isEqualTo(400);
            assertThat(response.body()).contains("\"field\":\"" + query.substring(0, query.indexOf('=')) + "\"");
        }
        assertThat(send("GET", "/things?limit=16&since=-3", null, "s3cret").body())
                .contains("{\"name\":\"limit\",\"count\":16}", "{\"name\":\"since\",\"count\":-3}");
        assertThat(send("GET", "/things?limit=", null, "s3cret").body()).contains("{\"name\":\"limit\",\"count\":10}");
    }

    @Test
    void metricsArePrometheusTextBehindTheKey() throws Exception {
        send("GET", "/health", null, null); // one HTTP server timing at least
        HttpResponse<String> refused = send("GET", "/metrics", null, null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(send("GET", "/actuator/prometheus", null, "s3cret").statusCode()).isEqualTo(404);
        HttpResponse<String> metrics = send("GET", "/metrics", null, "s3cret");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(metrics.body()).contains("# TYPE jvm_memory_used_bytes gauge", "process_cpu_usage",
                "http_server_requests_seconds_bucket{", "uri=\"/health\"");
    }
}
