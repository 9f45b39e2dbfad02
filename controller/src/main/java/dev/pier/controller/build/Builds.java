package dev.pier.controller.build;

import dev.pier.api.Build;
import dev.pier.api.Job;
import dev.pier.api.NewBuild;
import dev.pier.api.Release;
import dev.pier.api.blob.BlobPaths;
import dev.pier.api.blob.BlobSignature;
import dev.pier.api.host.JobSpec;
import dev.pier.controller.ControllerProperties;
import dev.pier.controller.app.AppEntity;
import dev.pier.controller.app.Apps;
import dev.pier.controller.release.ReleaseService;
import dev.pier.controller.run.OneOffJobs;
import dev.pier.controller.support.Input;
import dev.pier.web.ApiProblem;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Builds, owned by the controller from start to end. {@link #start} records a pending build, places the slug
 * builder ({@code /builder/build} in the build stack image) as a one-off job of type {@code build}, and hands it
 * to the {@link BuildWatcher}, which follows its output and, on the builder's {@code PIER-RESULT}, makes the
 * artifact, the release and the deployment ({@link BuildRecords#succeeded}). Clients follow the build's log and
 * then its deployment; a client that goes away changes nothing. The builder gets signed URLs (it holds no key):
 * the source to GET, the slug to PUT, the app's build cache to GET and PUT; the app's config vars become its
 * ENV_DIR ({@code PIER_ENV_<NAME>}), {@code BUILDPACK_URL} included.
 */
@Service
public class Builds {
    /** Sources are put under {@code sources/<app>/} by the git receiver. */
    static final Pattern SOURCE = Pattern.compile("^sources/[a-z][a-z0-9-]{0,29}/[A-Za-z0-9._-]{1,200}$");
    static final Pattern COMMIT = Pattern.compile("^[0-9a-f]{4,64}$");
    public static final String BUILD = "build";
    public static final String ENV_PREFIX = "PIER_ENV_";

    private final Apps apps;
    private final OneOffJobs jobs;
    private final ReleaseService releases;
    private final BuildRecords records;
    private final BuildWatcher watcher;
    private final ControllerProperties properties;
    private final BlobSignature signature;

    public Builds(Apps apps, OneOffJobs jobs, ReleaseService releases, BuildRecords records, BuildWatcher watcher,
                  ControllerProperties properties, @Value("${pier.cluster-key}") String clusterKey) {
        this.apps = apps;
        this.jobs = jobs;
        this.releases = releases;
        this.records = records;
        this.watcher = watcher;
        this.properties = properties;
        this.signature = new BlobSignature(clusterKey);
    }

    public Build start(String app, NewBuild request) {
        Input.appName("app", app);
        Input.required("body", request);
        String source = Input.required("source", request.source());
        if (!SOURCE.matcher(source).matches() || source.contains("..")) {
            throw ApiProblem.badRequest("source", "source must be a blob path sources/" + app + "/<name> "
                    + "(letters, digits, '.', '_', '-')");
        }
        if (!source.startsWith("sources/" + app + "/")) {
            throw ApiProblem.badRequest("source", "source must be under sources/" + app + "/, the app's own sources");
        }
        if (request.commit() != null && !COMMIT.matcher(request.commit()).matches()) {
            throw ApiProblem.badRequest("commit", "commit must be 4 to 64 lowercase hex digits");
        }
        if (request.description() != null && (request.description().isBlank() || request.description().length() > 200)) {
            throw ApiProblem.badRequest("description", "description must be 1 to 200 characters");
        }
        AppEntity entity = apps.live(app);
        String slugPath = "slugs/" + app + "/" + UUID.randomUUID() + ".tar.zst";
        Build build = records.create(app, source, request.commit(), request.description(), slugPath);
        Job job;
        try {
            job = jobs.start(app, null, spec(entity, source, slugPath));
        } catch (RuntimeException e) {
            records.failed(build.id(), "the slug builder could not start: " + e.getMessage(), List.of());
            throw e;
        }
        Build building = records.building(build.id(), job.id(), job.hostId());
        watcher.follow(building, properties.jobBlobUrl(slugPath));
        return building;
    }

    /** The builder's job: its image, memory, and an environment of signed URLs and the app's config vars. */
    private JobSpec spec(AppEntity app, String source, String slugPath) {
        Release current = releases.currentIfAny(app).orElse(null);
        String jobId = OneOffJobs.newJobId(app.name(), BUILD);
        String cachePath = cachePath(app.name(), app.id());
        // the builder gets the whole build time, then a margin to upload
        Instant until = Instant.now().plus(properties.buildTimeout()).plusSeconds(600);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SOURCE_URL", signature.signUrl("GET", properties.jobBlobUrl(source), until));
        env.put("SLUG_PUT_URL", signature.signUrl("PUT", properties.jobBlobUrl(slugPath), until));
        env.put("CACHE_URL", signature.signUrl("GET", properties.jobBlobUrl(cachePath), until));
        env.put("CACHE_PUT_URL", signature.signUrl("PUT", properties.jobBlobUrl(cachePath), until));
        env.put("BUILD_TIMEOUT", Long.toString(properties.buildTimeout().toSeconds()));
        if (current != null) {
            current.env().forEach((name, value) -> env.put(ENV_PREFIX + name, value));
            String buildpack = current.env().get("BUILDPACK_URL");
            if (buildpack != null) {
                env.put("BUILDPACK_URL", buildpack);
            }
        }
        env.put("PIER_APP", app.name());
        env.put("PIER_JOB_ID", jobId);
        return new JobSpec(jobId, app.name(), null, BUILD, properties.stackBuildImage(), null, List.of(), env,
                properties.buildMemoryMb(), null, null, null, false, false);
    }

    public List<Build> list(String app, int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiProblem.badRequest("limit", "limit must be between 1 and 1000");
        }
        return records.list(app, limit);
    }

    public Build get(String app, String id) {
        return records.get(app, id);
    }

    /** The app's build cache ({@link BlobPaths#cache}). */
    static String cachePath(String app, UUID appId) {
        return BlobPaths.cache(app, appId);
    }
}
