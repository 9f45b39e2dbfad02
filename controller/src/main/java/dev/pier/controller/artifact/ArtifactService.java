package dev.pier.controller.artifact;

import dev.pier.controller.support.Now;
import dev.pier.api.Artifact;
import dev.pier.api.EventTypes;
import dev.pier.api.Names;
import dev.pier.api.NewArtifact;
import dev.pier.api.blob.BlobPaths;
import dev.pier.controller.event.EventLog;
import dev.pier.controller.support.Input;
import dev.pier.web.ApiProblem;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class ArtifactService {
    private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");
    private static final Pattern IMAGE = Pattern.compile("^[a-z0-9][a-z0-9._/-]{0,199}(:[A-Za-z0-9._-]{1,128})?$");

    private final ArtifactRepository artifacts;
    private final EventLog events;

    public ArtifactService(ArtifactRepository artifacts, EventLog events) {
        this.artifacts = artifacts;
        this.events = events;
    }

    @Transactional
    public Artifact create(NewArtifact request) {
        Input.required("body", request);
        String type = Input.required("type", request.type());
        String uri = Input.required("uri", request.uri());
        switch (type) {
            case Artifact.SLUG -> checkSlugUri(uri);
            case Artifact.DOCKER -> {
                if (!IMAGE.matcher(uri).matches()) {
                    throw ApiProblem.badRequest("uri", "uri must be a local Docker image reference such as pier/app:tag");
                }
            }
            default -> throw ApiProblem.badRequest("type", "type must be 'slug' or 'docker'");
        }
        if (request.sha256() != null && !SHA256.matcher(request.sha256()).matches()) {
            throw ApiProblem.badRequest("sha256", "sha256 must be 64 lowercase hex digits");
        }
        if (request.size() != null && request.size() < 0) {
            throw ApiProblem.badRequest("size", "size cannot be negative");
        }
        ArtifactEntity artifact = artifacts.save(new ArtifactEntity(type, uri, request.sha256(), request.size(),
                Input.meta("meta", request.meta()), Now.instant()));
        Artifact record = artifact.toRecord();
        events.append(null, EventTypes.ARTIFACT, artifact.id(), record);
        return record;
    }

    /**
     * A slug is at {@code blob:<path>} (a blob path as the blobstore accepts it) or at an http(s) URL, whose path
     * has no dot segments: nothing that climbs out of where it points.
     */
    private static void checkSlugUri(String uri) {
        String expected = "a slug's uri must be blob:<path> or an http(s) URL";
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw ApiProblem.badRequest("uri", expected + "; '" + Names.printable(uri) + "' is not a URI");
        }
        if (uri.length() > 2048) {
            throw ApiProblem.badRequest("uri", "uri is longer than 2048 characters");
        }
        if ("blob".equals(parsed.getScheme())) {
            String path = uri.substring("blob:".length());
            BlobPaths.problem(path).ifPresent(problem -> {
                throw ApiProblem.badRequest("uri", "uri '" + Names.printable(uri) + "' does not name a blob: "
                        + problem);
            });
            return;
        }
        boolean http = ("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))
                && parsed.getHost() != null;
        if (!http) {
            throw ApiProblem.badRequest("uri", expected);
        }
        String path = parsed.getRawPath() == null ? "" : parsed.getRawPath();
        for (String segment : path.split("/", -1)) {
            String decoded = segment.replace("%2e", ".").replace("%2E", ".");
            if (decoded.equals(".") || decoded.equals("..")) {
                throw ApiProblem.badRequest("uri", "uri '" + Names.printable(uri) + "' has a '" + decoded
                        + "' segment in its path");
            }
        }
    }

    @Transactional(readOnly = true)
    public Artifact get(String id) {
        var uuid = Input.uuid("id", id);
        return artifacts.findById(uuid).map(ArtifactEntity::toRecord)
                .orElseThrow(() -> ApiProblem.notFound("artifact " + uuid + " not found"));
    }
}
