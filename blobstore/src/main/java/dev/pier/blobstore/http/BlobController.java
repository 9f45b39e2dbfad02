package dev.pier.blobstore.http;

import dev.pier.api.blob.BlobPaths;
import dev.pier.api.blob.BlobSignature;
import dev.pier.blobstore.BlobstoreProperties;
import dev.pier.blobstore.backend.BlobBackend;
import dev.pier.blobstore.backend.BlobContent;
import dev.pier.blobstore.backend.BlobInfo;
import dev.pier.blobstore.backend.DigestMismatchException;
import dev.pier.web.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code PUT/GET/HEAD/DELETE /blobs/{path}}, streamed both ways, plus {@code GET /blobs?prefix=} to
 * list. Auth is done here because {@code /blobs/**} is an open path for pier-web: the cluster key for
 * everything, or for GET/HEAD only a valid signed URL ({@link BlobSignature}).
 */
@RestController
public class BlobController {
    public static final String SHA256_HEADER = "X-Pier-Sha256";
    private static final Logger log = LoggerFactory.getLogger(BlobController.class);
    private static final String PREFIX = "/blobs/";

    private final BlobBackend backend;
    private final BlobSignature signature;
    private final byte[] clusterKey;
    private final Clock clock;
    private final long maxBlobBytes;

    public BlobController(BlobBackend backend, BlobSignature signature,
            org.springframework.core.env.Environment environment, Clock clock, BlobstoreProperties properties) {
        this.backend = backend;
        this.signature = signature;
        this.clusterKey = environment.getRequiredProperty("pier.cluster-key").getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
        this.maxBlobBytes = properties.maxBlobSize().toBytes();
    }

    @GetMapping("/health")
    Map<String, String> health() {
        return Map.of("status", "ok");
    }

    @GetMapping("/blobs")
    List<BlobInfo> list(HttpServletRequest request, @RequestParam(defaultValue = "") String prefix) throws IOException {
        requireClusterKey(request);
        if (!prefix.isEmpty() && BlobPaths.problem(prefix.endsWith("/") ? prefix + "x" : prefix).isPresent()) {
            throw ApiProblem.badRequest("prefix", "prefix must be a valid blob path or the start of one");
        }
        return backend.list(prefix);
    }

    @RequestMapping("/blobs/**")
    void blob(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String uri = request.getRequestURI();
        String method = request.getMethod();
        // a signature for GET also covers HEAD; PUT needs its own; DELETE only with the cluster key
        String signedAs = method.equals("HEAD") ? "GET" : method;
        boolean signable = signedAs.equals("GET") || signedAs.equals("PUT");
        if (!(signable && signed(request, uri, signedAs))) {
            requireClusterKey(request);
        }
        String path = uri.startsWith(PREFIX) ? uri.substring(PREFIX.length()) : "";
        BlobPaths.problem(path).ifPresent(problem -> {
            throw ApiProblem.badRequest("path", problem);
        });
        switch (method) {
            case "PUT" -> put(path, request, response);
            case "GET" -> get(path, request, response, true);
            case "HEAD" -> get(path, request, response, false);
            case "DELETE" -> delete(path, response);
            default -> throw new ApiProblem(HttpStatus.METHOD_NOT_ALLOWED, "blobs support PUT, GET, HEAD and DELETE", null);
        }
    }

    private void put(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String expected = request.getHeader(SHA256_HEADER);
        if (expected != null && !expected.matches("[0-9a-fA-F]{64}")) {
            throw ApiProblem.badRequest(SHA256_HEADER, SHA256_HEADER + " must be 64 hex digits (the sha256 of the body)");
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBlobBytes) {
            log.info("event=blob_refused path={} reason=too_large size={} limit={}", path, declared, maxBlobBytes);
            throw tooLarge(declared + " bytes");
        }
        BlobInfo info;
        UploadBody body = new UploadBody(request.getInputStream(), maxBlobBytes);
        try (InputStream in = body) {
            info = backend.put(path, in, expected == null ? null : expected.toLowerCase());
        } catch (DigestMismatchException e) {
            log.info("event=blob_refused path={} reason=sha256_mismatch expected={} actual={}", path, e.expected(), e.actual());
            throw ApiProblem.badRequest(SHA256_HEADER, "the body's sha256 is " + e.actual() + ", not " + e.expected()
                    + "; nothing was stored");
        } catch (UploadBody.TooLarge e) {
            log.info("event=blob_refused path={} reason=too_large size=more-than-{} limit={}", path, maxBlobBytes,
                    maxBlobBytes);
            throw tooLarge("more than " + maxBlobBytes + " bytes");
        } catch (UploadBody.Aborted e) {
            // the client's doing (it went away, or broke its request), not a fault of the blobstore's
            log.info("event=blob_upload_aborted path={} received={} reason=\"{}\"", path, e.received, e.getMessage());
            throw ApiProblem.badRequest("body", "the upload ended after " + e.received + " bytes, before the body's end ("
                    + e.getMessage() + "); nothing was stored");
        }
        log.info("event=blob_stored path={} size={} sha256={}", path, info.size(), info.sha256());
        response.setStatus(HttpServletResponse.SC_CREATED);
        response.setHeader("ETag", etag(info));
        response.setContentType("application/json");
        response.getWriter().write("{\"path\":\"" + info.path() + "\",\"size\":" + info.size() + ",\"sha256\":\""
                + info.sha256() + "\"}");
    }

    private ApiProblem tooLarge(String size) {
        return new ApiProblem(HttpStatus.PAYLOAD_TOO_LARGE, "the blob is " + size + "; this blobstore takes blobs of up "
                + "to " + maxBlobBytes + " bytes (pier.blobstore.max-blob-size); nothing was stored", null);
    }

    private void get(String path, HttpServletRequest request, HttpServletResponse response, boolean body) throws IOException {
        if (!body) {
            BlobInfo info = backend.stat(path).orElseThrow(() -> ApiProblem.notFound("no blob at " + path));
            headers(info, response);
            return;
        }
        Optional<BlobContent> found = backend.get(path);
        if (found.isEmpty()) {
            throw ApiProblem.notFound("no blob at " + path);
        }
        try (BlobContent content = found.get()) {
            String ifNoneMatch = request.getHeader("If-None-Match");
            if (ifNoneMatch != null && (ifNoneMatch.equals("*") || ifNoneMatch.contains(etag(content.info())))) {
                response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                response.setHeader("ETag", etag(content.info()));
                return;
            }
            headers(content.info(), response);
            OutputStream out = response.getOutputStream();
            content.stream().transferTo(out);
            out.flush();
        }
    }

    private static void headers(BlobInfo info, HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/octet-stream");
        response.setContentLengthLong(info.size());
        response.setHeader("ETag", etag(info));
        response.setHeader(SHA256_HEADER, info.sha256());
    }

    private void delete(String path, HttpServletResponse response) throws IOException {
        if (!backend.delete(path)) {
            throw ApiProblem.notFound("no blob at " + path);
        }
        log.info("event=blob_deleted path={}", path);
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    private boolean signed(HttpServletRequest request, String uri, String method) {
        String expires = request.getParameter("expires");
        String sig = request.getParameter("signature");
        if (expires == null && sig == null) {
            return false;
        }
        if (request.getHeader("Authorization") == null && !signature.verify(method, uri, expires, sig, clock.instant())) {
            log.info("event=blob_signature_refused uri={}", uri);
            throw new ApiProblem(HttpStatus.FORBIDDEN, "the signed URL is invalid or expired", "signature");
        }
        return request.getHeader("Authorization") == null;
    }

    private void requireClusterKey(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED,
                    "this endpoint needs the cluster key: send 'Authorization: Bearer <key>' (or a signed URL)", null);
        }
        byte[] given = header.substring("Bearer ".length()).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, clusterKey)) {
            throw new ApiProblem(HttpStatus.UNAUTHORIZED, "the cluster key is wrong", null);
        }
    }

    private static String etag(BlobInfo info) {
        return "\"" + info.sha256() + "\"";
    }
}
