package dev.pier.hostagent.job;

import dev.pier.api.HealthCheck;
import dev.pier.api.Names;
import dev.pier.api.ProcessVolume;
import dev.pier.api.host.JobSpec;
import dev.pier.api.host.VolumeMount;
import dev.pier.api.host.VolumeNames;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The edge checks of {@code POST /jobs}: each problem names the field at fault. Pure. */
public final class JobSpecCheck {
    /** The controller's rule for job ids (JobService.JOB_ID), so a scheduled job's id is valid on both. */
    public static final Pattern JOB_ID = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,127}$");
    /** A Docker image reference as Pier builds them: repository[:tag] or @sha256 digest. */
    public static final Pattern IMAGE = Pattern.compile(
            "^[a-z0-9][a-z0-9._/:-]{0,199}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$");
    public static final int MAX_ENV_ENTRIES = 500;
    public static final int MAX_ENV_BYTES = 128 * 1024;
    public static final int MAX_ARGS = 200;
    public static final int MAX_ARG_LENGTH = 64 * 1024;

    /** A bad field and why. */
    public record Problem(String field, String detail) {
    }

    private JobSpecCheck() {
    }

    public static Optional<Problem> problem(JobSpec spec, long totalMemoryMb) {
        if (spec.id() == null || !JOB_ID.matcher(spec.id()).matches()) {
            return bad("id", "job id '" + Names.printable(String.valueOf(spec.id())) + "' is invalid: use 1 to 128 "
                    + "lowercase letters, digits, '_', '.' and '-', starting with a letter or digit");
        }
        Optional<String> app = Names.problemWithApp(spec.app());
        if (app.isPresent()) {
            return bad("app", app.get());
        }
        Optional<String> process = Names.problemWithProcessType(spec.processType());
        if (process.isPresent()) {
            return bad("process_type", process.get());
        }
        if (spec.image() == null || spec.image().isBlank()) {
            return bad("image", "image is required");
        }
        if (!IMAGE.matcher(spec.image()).matches()) {
            return bad("image", "image '" + Names.printable(spec.image()) + "' is not a valid image reference");
        }
        Optional<Problem> args = args("entrypoint", spec.entrypoint());
        if (args.isPresent()) {
            return args;
        }
        args = args("command", spec.command());
        if (args.isPresent()) {
            return args;
        }
        Optional<Problem> env = env(spec);
        if (env.isPresent()) {
            return env;
        }
        if (spec.memoryMb() != null && (spec.memoryMb() < 6 || spec.memoryMb() > totalMemoryMb)) {
            return bad("memory_mb", "memory_mb must be between 6 and this host's " + totalMemoryMb + ", not "
                    + spec.memoryMb());
        }
        if (spec.cpus() != null && (spec.cpus().isNaN() || spec.cpus() < 0.01 || spec.cpus() > 256)) {
            return bad("cpus", "cpus must be between 0.01 and 256, not " + spec.cpus());
        }
        if (spec.port() != null && (spec.port() < 1 || spec.port() > 65535)) {
            return bad("port", "port must be between 1 and 65535, not " + spec.port());
        }
        if (spec.healthCheck() != null) {
            Optional<HealthCheck.Problem> problem = spec.healthCheck().problem();
            if (problem.isPresent()) {
                return bad("health_check." + problem.get().field(), problem.get().message());
            }
            if (spec.port() == null) {
                return bad("health_check", "a health check needs a port");
            }
        }
        if (spec.fixedHostPort() != null) {
            if (spec.port() == null) {
                return bad("fixed_host_port", "a fixed host port needs a port to publish");
            }
            if (spec.fixedHostPort() < 1024 || spec.fixedHostPort() > 65535) {
                return bad("fixed_host_port", "fixed_host_port must be between 1024 and 65535, not "
                        + spec.fixedHostPort());
            }
        }
        Optional<Problem> volumes = volumes(spec);
        if (volumes.isPresent()) {
            return volumes;
        }
        if (spec.tty() && !spec.interactive()) {
            return bad("tty", "a tty is for interactive jobs: set interactive too");
        }
        return Optional.empty();
    }

    private static Optional<Problem> volumes(JobSpec spec) {
        if (spec.volumes().size() > ProcessVolume.MAX_PER_TYPE) {
            return bad("volumes", "a job mounts at most " + ProcessVolume.MAX_PER_TYPE + " volumes, not "
                    + spec.volumes().size());
        }
        Set<String> names = new HashSet<>();
        Set<String> paths = new HashSet<>();
        for (VolumeMount mount : spec.volumes()) {
            if (mount == null) {
                return bad("volumes", "a volume mount must not be null");
            }
            Optional<String> problem = VolumeNames.problemWithName(mount.name())
                    .or(() -> ProcessVolume.problemWithPath(mount.path()))
                    .or(() -> new ProcessVolume("/", mount.sizeMb()).problem().filter(p -> p.contains("size_mb")));
            if (problem.isPresent()) {
                return bad("volumes", problem.get());
            }
            if (!names.add(mount.name())) {
                return bad("volumes", "volume " + mount.name() + " is mounted twice");
            }
            if (!paths.add(mount.path())) {
                return bad("volumes", "two volumes are mounted at " + mount.path());
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> args(String field, List<String> args) {
        if (args.size() > MAX_ARGS) {
            return bad(field, field + " has " + args.size() + " arguments; at most " + MAX_ARGS);
        }
        for (String arg : args) {
            if (arg == null || arg.indexOf('\0') >= 0 || arg.length() > MAX_ARG_LENGTH) {
                return bad(field, field + " arguments must be non-null, without NUL and at most " + MAX_ARG_LENGTH
                        + " characters");
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> env(JobSpec spec) {
        if (spec.env().size() > MAX_ENV_ENTRIES) {
            return bad("env", "env has " + spec.env().size() + " entries; at most " + MAX_ENV_ENTRIES);
        }
        long bytes = 0;
        for (Map.Entry<String, String> entry : spec.env().entrySet()) {
            Optional<String> name = Names.problemWithEnvName(entry.getKey());
            if (name.isPresent()) {
                return bad("env", name.get());
            }
            if (entry.getValue() == null) {
                return bad("env", "config var " + entry.getKey() + " has no value");
            }
            Optional<String> value = Names.problemWithEnvValue(entry.getKey(), entry.getValue());
            if (value.isPresent()) {
                return bad("env", value.get());
            }
            if (spec.port() != null && entry.getKey().equals("PORT")) {
                return bad("env", "PORT is set by the agent for jobs with a port");
            }
            bytes += entry.getKey().length() + entry.getValue().length() + 2;
        }
        if (bytes > MAX_ENV_BYTES) {
            return bad("env", "env is " + bytes + " bytes; at most " + MAX_ENV_BYTES);
        }
        return Optional.empty();
    }

    private static Optional<Problem> bad(String field, String detail) {
        return Optional.of(new Problem(field, detail));
    }
}
