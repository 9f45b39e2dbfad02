package dev.pier.blobstore.http;

import dev.pier.blobstore.PatternStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.blob.BlobSignature;
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
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The running service over real HTTP, on 127.0.0.1 and an extra bind address (127.0.0.2). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class BlobstoreHttpTest {
    static final String KEY = "test-cluster-key";
    static final int PORT = FreePorts.next();
    static final Path ROOT = createRoot();
    static final Path DATA = ROOT.resolve("data");
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add("pier.cluster-key", () -> KEY);
        registry.add("pier.blobstore.data-dir", DATA::toString);
        registry.add("pier.blobstore.extra-bind-addresses", () -> "127.0.0.2");
    }

    static Path createRoot() {
        try {
            return Files.createTempDirectory("blobstore-http");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    static String url(String path) {
        return "http://127.0.0.1:" + PORT + path;
    }

    HttpResponse<String> send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> authed(String method, String path, byte[] body, String... headers) throws Exception {
        String[] all = Stream.concat(Stream.of("Authorization", "Bearer " + KEY), Stream.of(headers)).toArray(String[]::new);
        return send(method, path, body, all);
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void roundTripWithSha256ETag() throws Exception {
        byte[] data = "slug bytes".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> put = authed("PUT", "/blobs/apps/a1/slug.tgz", data, "X-Pier-Sha256", sha256(data));
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(put.headers().firstValue("ETag")).contains("\"" + sha256(data) + "\"");
        HttpResponse<String> get = authed("GET", "/blobs/apps/a1/slug.tgz", null);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("slug bytes");
        assertThat(get.headers().firstValue("ETag")).contains("\"" + sha256(data) + "\"");
        assertThat(get.headers().firstValueAsLong("Content-Length")).hasValue(data.length);
        HttpResponse<String> head = authed("HEAD", "/blobs/apps/a1/slug.tgz", null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(data.length);
        assertThat(authed("GET", "/blobs/apps/a1/slug.tgz", null, "If-None-Match", "\"" + sha256(data) + "\"").statusCode())
                .isEqualTo(304);
        assertThat(authed("GET", "/blobs?prefix=apps/a1/", null).body()).contains("\"path\":\"apps/a1/slug.tgz\"");
        assertThat(authed("DELETE", "/blobs/apps/a1/slug.tgz", null).statusCode()).isEqualTo(204);
        assertThat(authed("GET", "/blobs/apps/a1/slug.tgz", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aBodySentAsAFormIsStoredAsItsBytes() throws Exception {
        // what `curl --data-binary @file` sends: a form content type, bytes that are not a form
        byte[] data = "a=1&b=not really a form\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        HttpResponse<String> put = authed("PUT", "/blobs/form/blob", data, "Content-Type",
                "application/x-www-form-urlencoded");
        assertThat(put.statusCode()).as(put.body()).isBetween(200, 299);
        HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(URI.create(url("/blobs/form/blob")))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(get.body()).isEqualTo(data);
    }

    @Test
    void extraBindAddressServesToo() throws Exception {
        authed("PUT", "/blobs/extra/x", "on two addresses".getBytes());
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.2:" + PORT + "/blobs/extra/x"))
                .header("Authorization", "Bearer " + KEY).build();
        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("on two addresses");
    }

    @Test
    void wrongDigestIsRefusedAndNothingStored() throws Exception {
        HttpResponse<String> put = authed("PUT", "/blobs/digest/blob", "abc".getBytes(), "X-Pier-Sha256", sha256("xyz".getBytes()));
        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(put.body()).contains("X-Pier-Sha256");
        assertThat(authed("GET", "/blobs/digest/blob", null).statusCode()).isEqualTo(404);
        assertThat(authed("PUT", "/blobs/digest/blob", "abc".getBytes(), "X-Pier-Sha256", "nothex").statusCode()).isEqualTo(400);
    }

    @Test
    void killedUploadLeavesNothingVisibleAndPreviousVersionIntact() throws Exception {
        assertThat(authed("PUT", "/blobs/killed/slug", "previous".getBytes()).statusCode()).isEqualTo(201);
        for (String path : List.of("/blobs/killed/slug", "/blobs/killed/fresh")) {
            try (Socket socket = new Socket("127.0.0.1", PORT)) {
                OutputStream out = socket.getOutputStream();
                out.write(("PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY
                        + "\r\nContent-Length: 2000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(new byte[1_000_000]);
                out.flush();
                socket.setSoLinger(true, 0); // reset, like a killed client
            }
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            try (Stream<Path> files = Files.walk(DATA)) {
                assertThat(files.filter(p -> p.getParent().getFileName().toString().equals("@tmp")).toList()).isEmpty();
            }
        });
        assertThat(authed("GET", "/blobs/killed/slug", null).body()).isEqualTo("previous");
        assertThat(authed("GET", "/blobs/killed/fresh", null).statusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/blobs/a/%2e%2e/%2e%2e/outside", "/blobs/%2e%2e", "/blobs//etc/passwd", "/blobs/a%00b",
            "/blobs/a%2Fb", "/blobs/%E2%80%A5/x", "/blobs/%EF%BC%8E%EF%BC%8E/x", "/blobs/a%5Cb", "/blobs/.hidden",
            "/blobs/a//b", "/blobs/a/%20"})
    void hostilePathsAreRefused(String path) throws Exception {
        HttpResponse<String> put = authed("PUT", path, "evil".getBytes());
        assertThat(put.statusCode()).isEqualTo(400);
        assertNothingOutsideData();
    }

    @Test
    void dotDotAndVeryLongPathsAreRefused() throws Exception {
        // the client sends these raw; Tomcat normalises '..' away before routing, so it never reaches a blob
        assertThat(authed("PUT", "/blobs/a/../../outside", "evil".getBytes()).statusCode()).isIn(400, 404);
        HttpResponse<String> longPath = authed("PUT", "/blobs/" + "a".repeat(600), "x".getBytes());
        assertThat(longPath.statusCode()).isEqualTo(400);
        assertThat(longPath.body()).contains("\"field\":\"path\"");
        HttpResponse<String> deep = authed("PUT", "/blobs/" + "a/".repeat(20) + "a", "x".getBytes());
        assertThat(deep.statusCode()).isEqualTo(400);
        assertNothingOutsideData();
    }

    void assertNothingOutsideData() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            assertThat(files.filter(p -> !p.startsWith(DATA) && !p.startsWith(ROOT.resolve("scratch"))).filter(Files::isRegularFile).toList()).isEmpty();
        }
    }

    @Test
    void noKeyIs401() throws Exception {
        assertThat(send("GET", "/blobs/a/b", null).statusCode()).isEqualTo(401);
        assertThat(send("PUT", "/blobs/a/b", "x".getBytes()).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/blobs?prefix=", null).statusCode()).isEqualTo(401);
        assertThat(send("PUT", "/blobs/a/b", "x".getBytes(), "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(send("GET", "/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void signedUrlsWorkOnlyForTheirPathAndUntilExpiry() throws Exception {
        authed("PUT", "/blobs/signed/slug.tgz", "signed content".getBytes());
        authed("PUT", "/blobs/signed/other.tgz", "other".getBytes());
        BlobSignature signer = new BlobSignature(KEY);
        String query = signer.query("/blobs/signed/slug.tgz", Instant.now().plusSeconds(300));
        HttpResponse<String> ok = send("GET", "/blobs/signed/slug.tgz?" + query, null);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("signed content");
        assertThat(send("GET", "/blobs/signed/other.tgz?" + query, null).statusCode()).isEqualTo(403);
        assertThat(send("HEAD", "/blobs/signed/slug.tgz?" + query, null).statusCode()).isEqualTo(200);
        assertThat(send("PUT", "/blobs/signed/slug.tgz?" + query, "x".getBytes()).statusCode())
                .as("a GET signature does not allow a PUT").isEqualTo(403);
        assertThat(send("DELETE", "/blobs/signed/slug.tgz?" + query, null).statusCode()).isEqualTo(401);
        String expired = signer.query("/blobs/signed/slug.tgz", Instant.now().minusSeconds(1));
        assertThat(send("GET", "/blobs/signed/slug.tgz?" + expired, null).statusCode()).isEqualTo(403);
        String tampered = query.substring(0, query.length() - 1) + (query.endsWith("0") ? "1" : "0");
        assertThat(send("GET", "/blobs/signed/slug.tgz?" + tampered, null).statusCode()).isEqualTo(403);
        String longer = query.replaceFirst("expires=[0-9]+", "expires=" + (Instant.now().getEpochSecond() + 99999));
        assertThat(send("GET", "/blobs/signed/slug.tgz?" + longer, null).statusCode()).isEqualTo(403);
        assertThat(authed("GET", "/blobs/signed/slug.tgz", null).body()).isEqualTo("signed content");
    }

    @Test
    void signedPutStoresOnlyAtItsPath() throws Exception {
        BlobSignature signer = new BlobSignature(KEY);
        String url = signer.signUrl("PUT", url("/blobs/signed-put/slug.tgz"), Instant.now().plusSeconds(300));
        String query = url.substring(url.indexOf('?') + 1);
        assertThat(send("PUT", "/blobs/signed-put/slug.tgz?" + query, "built".getBytes()).statusCode()).isEqualTo(201);
        assertThat(authed("GET", "/blobs/signed-put/slug.tgz", null).body()).isEqualTo("built");
        assertThat(send("PUT", "/blobs/signed-put/other.tgz?" + query, "x".getBytes()).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/blobs/signed-put/slug.tgz?" + query, null).statusCode())
                .as("a PUT signature does not allow a GET").isEqualTo(403);
        assertThat(send("DELETE", "/blobs/signed-put/slug.tgz?" + query, null).statusCode()).isEqualTo(401);
        assertThat(authed("GET", "/blobs?prefix=signed-put/", null).body()).doesNotContain("other.tgz");
    }

    @Test
    void largeBlobIsStreamedBothWaysWithFlatHeap() throws Exception {
        long size = 320L * 1024 * 1024;
        Runtime runtime = Runtime.getRuntime();
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        HttpRequest put = HttpRequest.newBuilder(URI.create(url("/blobs/big/slug.tgz")))
                .header("Authorization", "Bearer " + KEY)
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(size, sent))).build();
        HttpResponse<String> stored = http.send(put, HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).isEqualTo(201);
        String digest = HexFormat.of().formatHex(sent.digest());
        assertThat(stored.headers().firstValue("ETag")).contains("\"" + digest + "\"");
        HttpResponse<InputStream> get = http.send(HttpRequest.newBuilder(URI.create(url("/blobs/big/slug.tgz")))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (InputStream in = get.body()) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) != -1) {
                received.update(buffer, 0, n);
                total += n;
            }
        }
        assertThat(total).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(digest);
        // the test JVM (service in-process) runs with -Xmx256m, so holding the blob would have failed outright
        // (heap in use is not measured: uncollected garbage makes it say nothing about what was held)
        assertThat(runtime.maxMemory()).isLessThan(size);
        authed("DELETE", "/blobs/big/slug.tgz", null);
    }

    @Test
    void typedClientPutsGetsHeadsListsAndDeletes() throws Exception {
        dev.pier.api.blob.BlobstoreClient client = new dev.pier.api.blob.BlobstoreClient(URI.create(url("")), KEY,
                Duration.ofSeconds(10), Duration.ofMinutes(5));
        Path scratch = Files.createDirectories(ROOT.resolve("scratch"));
        Path source = Files.writeString(scratch.resolve("source.txt"), "typed client");
        String sha = sha256("typed client".getBytes());
        assertThat(client.put("client/a.txt", source, sha)).isEqualTo(new dev.pier.api.blob.StoredBlob("client/a.txt", 12, sha));
        assertThat(client.head("client/a.txt")).contains(new dev.pier.api.blob.StoredBlob("client/a.txt", 12, sha));
        assertThat(client.head("client/none")).isEmpty();
        Path target = scratch.resolve("target.txt");
        client.download("client/a.txt", target);
        assertThat(Files.readString(target)).isEqualTo("typed client");
        assertThat(client.list("client/")).extracting(dev.pier.api.blob.StoredBlob::path).containsExactly("client/a.txt");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.put("client/b", source, sha256("x".getBytes())))
                .isInstanceOf(dev.pier.api.http.PierApiException.class);
        client.deleteBlob("client/a.txt");
        assertThat(client.head("client/a.txt")).isEmpty();
    }
}
