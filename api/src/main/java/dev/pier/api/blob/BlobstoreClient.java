package dev.pier.api.blob;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.pier.api.http.JsonHttpClient;
import dev.pier.api.http.PierApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Typed client for the blobstore ({@code /blobs/{path}}): streaming put and get, head, delete, list.
 * Transfers use {@code transferTimeout} (the whole body must move within it), other calls the usual
 * timeout. {@code expectedSha256} (hex, may be null) is sent as {@code X-Pier-Sha256} so the server
 * refuses a corrupted upload.
 */
public class BlobstoreClient extends JsonHttpClient {
    public static final String SHA256_HEADER = "X-Pier-Sha256";
    private final Duration transferTimeout;

    public BlobstoreClient(URI base, String key, Duration timeout, Duration transferTimeout) {
        super(base, key, timeout);
        this.transferTimeout = transferTimeout;
    }

    public StoredBlob put(String path, Path file, String expectedSha256) {
        try {
            return put(path, HttpRequest.BodyPublishers.ofFile(file), expectedSha256);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public StoredBlob put(String path, Supplier<InputStream> content, String expectedSha256) {
        return put(path, HttpRequest.BodyPublishers.ofInputStream(content), expectedSha256);
    }

    private StoredBlob put(String path, HttpRequest.BodyPublisher body, String expectedSha256) {
        HttpRequest.Builder builder = request("/blobs/" + path).timeout(transferTimeout)
                .header("Content-Type", "application/octet-stream").PUT(body);
        if (expectedSha256 != null) {
            builder.header(SHA256_HEADER, expectedSha256);
        }
        return send(builder.build(), json().constructType(StoredBlob.class));
    }

    /** Streams the blob; the caller closes the stream. */
    public InputStream open(String path) {
        return openStream(request("/blobs/" + path).timeout(transferTimeout).GET().build());
    }

    /** Downloads the blob to {@code target} (replaced atomically from a sibling temp file). */
    public void download(String path, Path target) {
        Path temp = target.resolveSibling("." + target.getFileName() + ".part");
        try (InputStream in = open(path)) {
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** Size and sha256 without the content; empty when there is no such blob. */
    public Optional<StoredBlob> head(String path) {
        HttpResponse<Void> response = exchange(request("/blobs/" + path).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new PierApiException(response.statusCode(), "HTTP " + response.statusCode(), "HEAD /blobs/" + path, null);
        }
        long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        String sha = response.headers().firstValue(SHA256_HEADER).orElse(null);
        return Optional.of(new StoredBlob(path, size, sha));
    }

    public void deleteBlob(String path) {
        delete("/blobs/" + path);
    }

    /** Blobs whose path starts with {@code prefix}, sorted. */
    public List<StoredBlob> list(String prefix) {
        return get(withQuery("/blobs", Map.of("prefix", prefix)), new TypeReference<List<StoredBlob>>() { });
    }
}
