package dev.pier.scheduler.reconcile;

import dev.pier.api.Artifact;
import dev.pier.api.ProcessType;
import dev.pier.api.Release;
import dev.pier.api.host.JobSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a job of a release runs, as a pure function. A Docker-image artifact runs the process command in
 * a shell in that image; a slug runs in the slug runner image, which downloads the slug and starts the
 * Procfile type. Jobs get the release's config vars and who they are (PIER_APP, PIER_RELEASE, ...).
 */
public final class JobSpecs {
    private JobSpecs() {
    }

    /** The spec, or empty with {@code why} filled when the release cannot run (no artifact, no such type). */
    public static Optional<JobSpec> forJob(String jobId, Release release, Artifact artifact, String processType,
                                           int memoryMb, String slugRunnerImage, StringBuilder why) {
        ProcessType process = release.processes().get(processType);
        if (process == null) {
            why.append("release v").append(release.version()).append(" has no process type ").append(processType);
            return Optional.empty();
        }
        if (artifact == null) {
            why.append("release v").append(release.version()).append(" has no build to run: push code first");
            return Optional.empty();
        }
        Map<String, String> env = new LinkedHashMap<>(release.env());
        env.put("PIER_APP", release.app());
        env.put("PIER_RELEASE", release.id().toString());
        env.put("PIER_RELEASE_VERSION", "v" + release.version());
        env.put("PIER_PROCESS_TYPE", processType);
        env.put("PIER_JOB_ID", jobId);
        String image;
        List<String> command;
        if (Artifact.DOCKER.equals(artifact.type())) {
            image = artifact.uri();
            command = List.of("/bin/sh", "-c", process.command());
        } else {
            image = slugRunnerImage;
            command = List.of("start", processType);
            env.put("SLUG_URL", artifact.uri());
            if (artifact.sha256() != null) {
                env.put("SLUG_SHA256", artifact.sha256());
            }
        }
        return Optional.of(new JobSpec(jobId, release.app(), release.id(), processType, image, null, command, env,
                memoryMb, null, process.port(), process.healthCheck(), false, false));
    }
}
