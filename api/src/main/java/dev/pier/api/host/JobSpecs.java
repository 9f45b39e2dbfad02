package dev.pier.api.host;

import dev.pier.api.Artifact;
import dev.pier.api.ProcessType;
import dev.pier.api.ProcessVolume;
import dev.pier.api.Release;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What a job of a release runs, as pure functions shared by the scheduler (formation jobs) and the controller
 * (one-off jobs). A Docker-image artifact runs the command in a shell in that image; a slug runs in the slug
 * runner image, which downloads the slug from {@code SLUG_URL} (the artifact's URI made fetchable by
 * {@code slugUrl}, which signs blobstore URLs) and starts the Procfile type or runs the command. Jobs get the
 * release's config vars and who they are ({@code PIER_APP}, {@code PIER_RELEASE}, ...).
 *
 * <p>One-off jobs carry no release id on their host: that is how the scheduler tells them from formation jobs
 * (it never counts them in a formation, nor stops them as surplus).
 */
public final class JobSpecs {
    /** The process type of one-off jobs ({@code pier run}). */
    public static final String RUN = "run";

    private JobSpecs() {
    }

    /** The spec, or empty with {@code why} filled when the release cannot run (no artifact, no such type). */
    public static Optional<JobSpec> forJob(String jobId, Release release, Artifact artifact, String processType,
                                           int memoryMb, String slugRunnerImage, UnaryOperator<String> slugUrl,
                                           StringBuilder why) {
        return forJob(jobId, release, artifact, processType, null, memoryMb, slugRunnerImage, slugUrl, why);
    }

    /**
     * The spec of the job filling {@code slot} (its number among the type's jobs; null for a type without volumes),
     * with the slot's volumes ({@link VolumeNames}) and the type's fixed host port; empty with {@code why} filled
     * when the release cannot run.
     */
    public static Optional<JobSpec> forJob(String jobId, Release release, Artifact artifact, String processType,
                                           Integer slot, int memoryMb, String slugRunnerImage,
                                           UnaryOperator<String> slugUrl, StringBuilder why) {
        ProcessType process = release.processes().get(processType);
        if (process == null) {
            why.append("release v").append(release.version()).append(" has no process type ").append(processType);
            return Optional.empty();
        }
        if (artifact == null) {
            why.append("release v").append(release.version()).append(" has no build to run: push code first");
            return Optional.empty();
        }
        Map<String, String> env = environment(jobId, release, processType, Map.of());
        String image;
        List<String> command;
        if (Artifact.DOCKER.equals(artifact.type())) {
            image = artifact.uri();
            command = List.of("/bin/sh", "-c", ShellCommand.execForm(process.command()));
        } else {
            image = slugRunnerImage;
            command = List.of("start", processType);
            slugEnv(env, artifact, slugUrl);
        }
        return Optional.of(new JobSpec(jobId, release.app(), release.id(), processType, image, null, command, env,
                memoryMb, null, process.port(), process.healthCheck(), false, false,
                mounts(release.app(), processType, process, slot), process.port() == null ? null : process.hostPort()));
    }

    /** The volumes of the job filling {@code slot} of a type: none without a slot or without volumes. */
    public static List<VolumeMount> mounts(String app, String processType, ProcessType process, Integer slot) {
        if (slot == null || process.volumes().isEmpty()) {
            return List.of();
        }
        List<VolumeMount> mounts = new ArrayList<>();
        for (int k = 0; k < process.volumes().size(); k++) {
            ProcessVolume volume = process.volumes().get(k);
            mounts.add(new VolumeMount(VolumeNames.of(app, processType, slot, k), volume.path(), volume.sizeMb()));
        }
        return mounts;
    }

    /**
     * A one-off job running {@code command} (a program and its arguments, or one shell line) in the release,
     * or empty with {@code why} filled when the release has no build. Its config vars are the release's with
     * {@code extraEnv} on top.
     */
    public static Optional<JobSpec> forOneOff(String jobId, Release release, Artifact artifact, List<String> command,
                                              Map<String, String> extraEnv, int memoryMb, String slugRunnerImage,
                                              UnaryOperator<String> slugUrl, boolean interactive, boolean tty,
                                              StringBuilder why) {
        if (artifact == null) {
            why.append("release v").append(release.version()).append(" has no build to run: push code first");
            return Optional.empty();
        }
        Map<String, String> env = environment(jobId, release, RUN, extraEnv);
        String image;
        List<String> args = new ArrayList<>();
        if (Artifact.DOCKER.equals(artifact.type())) {
            image = artifact.uri();
            if (command.size() == 1) {
                args.addAll(List.of("/bin/sh", "-c", ShellCommand.execForm(command.get(0))));
            } else {
                args.addAll(command);
            }
        } else {
            image = slugRunnerImage;
            slugEnv(env, artifact, slugUrl);
            args.addAll(command); // the runner runs a single argument with a shell, several as given
        }
        return Optional.of(new JobSpec(jobId, release.app(), null, RUN, image, null, args, env, memoryMb, null,
                null, null, tty, interactive));
    }

    private static Map<String, String> environment(String jobId, Release release, String processType,
                                                   Map<String, String> extraEnv) {
        Map<String, String> env = new LinkedHashMap<>(release.env());
        env.putAll(extraEnv);
        env.put("PIER_APP", release.app());
        env.put("PIER_RELEASE", release.id().toString());
        env.put("PIER_RELEASE_VERSION", "v" + release.version());
        env.put("PIER_PROCESS_TYPE", processType);
        env.put("PIER_JOB_ID", jobId);
        return env;
    }

    private static void slugEnv(Map<String, String> env, Artifact artifact, UnaryOperator<String> slugUrl) {
        env.put("SLUG_URL", slugUrl.apply(artifact.uri()));
        if (artifact.sha256() != null) {
            env.put("SLUG_SHA256", artifact.sha256());
        }
    }
}
