package dev.pier.blobstore.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.testkit.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue #17 item 12: no upload size limit (a 2 GiB upload was taken), and a client's aborted upload logged as
 * "a bug in Pier". Here with a 1 MB limit ({@code pier.blobstore.max-blob-size}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ExtendWith(OutputCaptureExtension.class)
class BlobLimitsTest {
    static final String KEY = "limits-cluster-key";
    static final int PORT = FreePorts.next();
    static final int LIMIT = 1024 * 1024;
    @TempDir
    static Path data;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add("pier.cluster-key", () -> KEY);
        registry.add("pier.blobstore.data-dir", () -> data.resolve("data").toString());
        registry.add("pier.blobstore.max-blob-size", () -> "1MB");
    }

    private HttpResponse<String> put(String path, HttpRequest.BodyPublisher body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/blobs/" + path))
                .header("Authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(60)).PUT(body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUploadOverTheLimitIsA413AndNothingIsStored() throws Exception {
        HttpResponse<String> declared = put("big/declared", HttpRequest.BodyPublishers.ofByteArray(new byte[LIMIT + 1]));
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(declared.body()).contains("pier.blobstore.max-blob-size", Integer.toString(LIMIT));

        // chunked: no length to go by, so it is counted as it comes
        HttpResponse<String> streamed = put("big/streamed", HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(new byte[3 * LIMIT])));
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertThat(streamed.body()).contains("more than " + LIMIT + " bytes");

        assertThat(put("big/exact", HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(new byte[LIMIT]))).statusCode()).isEqualTo(201);
        for (String refused : new String[] {"big/declared", "big/streamed"}) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/blobs/" + refused))
                    .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).isEqualTo(404);
        }
        assertNoTempFiles();
    }

    @Test
    void aClientsAbortedUploadIsLoggedAsSuchNotAsABug(CapturedOutput output) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", PORT)) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /blobs/aborted/slug HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY
                    + "\r\nContent-Length: 500000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[100_000]);
            out.flush();
            socket.setSoLinger(true, 0); // reset, like a killed client
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(output.getAll()).contains("event=blob_upload_aborted path=aborted/slug"));
        // a broken chunk, with the client still there to hear about it
        try (Socket socket = new Socket("127.0.0.1", PORT)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("PUT /blobs/aborted/chunks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + KEY + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\nzz\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(output.getAll()).contains("event=blob_upload_aborted path=aborted/chunks"));
        assertThat(output.getAll()).doesNotContain("bug in Pier").doesNotContain("event=internal_error");
        assertNoTempFiles();
    }

    private static void assertNoTempFiles() throws IOException {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            try (Stream<Path> files = Files.list(data.resolve("data/@tmp"))) {
                assertThat(files.toList()).isEmpty();
            }
        });
    }
}
