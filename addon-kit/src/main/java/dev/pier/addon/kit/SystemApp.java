package dev.pier.addon.kit;

import dev.pier.addon.kit.SystemAppPlan.Action;
import dev.pier.addon.kit.SystemAppPlan.Observed;
import dev.pier.api.Artifact;
import dev.pier.api.DeploymentStatus;
import dev.pier.api.HealthCheck;
import dev.pier.api.Job;
import dev.pier.api.NewApp;
import dev.pier.api.NewArtifact;
import dev.pier.api.NewDeployment;
import dev.pier.api.Release;
import dev.pier.api.controller.ControllerClient;
import dev.pier.api.http.Json;
import dev.pier.api.http.PierApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system app that runs a provider's server, on the controller: a Docker artifact of the server image, one
 * process type ({@link ServerSpec#type()}) on the server's port published at a fixed host port, its data directory on
 * a volume, the server's password in its env, scaled to exactly one job. {@link #step()} observes the app and takes
 * one step of {@link SystemAppPlan} towards that.
 */
public final class SystemApp implements ServerApp {
    private static final Logger LOG = LoggerFactory.getLogger(SystemApp.class);
    /** The release meta key naming the recipe (image, process, env) a release was made from. */
    public static final String RECIPE = "pier.addon.recipe";

    private final ControllerClient controller;
    private final ServerSpec spec;
    private final String app;
    private final String image;
    private final Map<String, String> env;
    private final int hostPort;
    private final int memoryMb;
    private final Map<String, String> appMeta;

    /** {@code env} is the server job's env (its password: the release's config vars). */
    public SystemApp(ControllerClient controller, ServerSpec spec, String app, String image, Map<String, String> env,
                     int hostPort, int memoryMb) {
        this(controller, spec, app, image, env, hostPort, memoryMb, Map.of());
    }

    /**
     * {@code appMeta}: more meta the app is created with, besides {@code pier.system} and {@code pier.addon} (the
     * resource a per-resource server app belongs to, its host port).
     */
    public SystemApp(ControllerClient controller, ServerSpec spec, String app, String image, Map<String, String> env,
                     int hostPort, int memoryMb, Map<String, String> appMeta) {
        this.appMeta = Map.copyOf(appMeta);
        this.controller = controller;
        this.spec = spec;
        this.app = app;
        this.image = image;
        this.env = Map.copyOf(env);
        this.hostPort = hostPort;
        this.memoryMb = memoryMb;
    }

    @Override
    public String app() {
        return app;
    }

    @Override
    public String type() {
        return spec.type();
    }

    /** {@code POST /apps/{app}/releases} as the add-on contract shapes a process with a volume and a host port. */
    record SystemRelease(UUID artifactId, Map<String, String> env, Map<String, ServerProcess> processes,
                         Map<String, String> meta, String description) {
    }

    record ServerProcess(String command, Integer port, HealthCheck healthCheck, Integer hostPort,
                         List<ProcessVolume> volumes) {
    }

    record ProcessVolume(String path, Integer sizeMb) {
    }

    ServerProcess process() {
        return new ServerProcess(spec.command(), spec.port(), null, hostPort, List.of(new ProcessVolume(spec.dataPath(), null)));
    }

    Map<String, String> env() {
        return env;
    }

    /** The hash of everything the release is made of: a release with another recipe is replaced. */
    public String recipe() {
        try {
            String text = image + "\n" + Json.mapper().writeValueAsString(process()) + "\n"
                    + Json.mapper().writeValueAsString(new java.util.TreeMap<>(env()));
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 16);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One step towards the wanted state. Answers what the provider waits for now, in words that follow "waiting
     * for" (empty when the app is
     * as wanted and only its job's start is awaited: see {@link #describeJob()}).
     */
    @Override
    public Optional<String> step() {
        Observed observed = observe();
        Action action = SystemAppPlan.next(observed);
        switch (action) {
            case CREATE_APP -> {
                Map<String, String> meta = new java.util.TreeMap<>(appMeta);
                meta.put("pier.system", "true");
                meta.put("pier.addon", spec.addon());
                controller.createApp(new NewApp(app, meta));
                LOG.info("event=system_app_created app={}", app);
                return Optional.of("its system app " + app + " (just created) to get its first release");
            }
            case WAIT_FOR_DEPLOYMENT -> {
                return Optional.of("the deployment under way of the system app " + app);
            }
            case STOP_OLD_JOB -> {
                controller.scale(app, observed.currentRelease(), Map.of(spec.type(), 0));
                LOG.info("event=system_app_old_job_stopping app={} release={}", app, observed.currentRelease());
                return Optional.of("the old release's job " + app + "/" + spec.type() + " to stop before the new one starts"
                        + " (they share the data volume)");
            }
            case WAIT_FOR_OLD_JOB -> {
                return Optional.of("the old release's job " + app + "/" + spec.type() + " to stop before the new one starts"
                        + " (they share the data volume)");
            }
            case CREATE_RELEASE -> {
                Artifact artifact = controller.createArtifact(new NewArtifact(Artifact.DOCKER, image, null, null,
                        Map.of("pier.addon", spec.addon())));
                Release release = controller.post("/apps/" + app + "/releases", new SystemRelease(artifact.id(), env(),
                        Map.of(spec.type(), process()), Map.of(RECIPE, recipe()), spec.label() + " " + image), Release.class);
                controller.deploy(app, new NewDeployment(release.id(), null));
                LOG.info("event=system_app_release_deployed app={} release={} image={}", app, release.id(), image);
                return Optional.of("the deployment of " + app + " v" + release.version() + " (" + image + ")");
            }
            case DEPLOY -> {
                controller.deploy(app, new NewDeployment(observed.wantedRelease(), null));
                return Optional.of("the deployment of " + app + "'s release " + observed.wantedRelease());
            }
            case SCALE_TO_ONE -> {
                controller.scale(app, observed.currentRelease(), Map.of(spec.type(), 1), Map.of(spec.type(), memoryMb));
                LOG.info("event=system_app_scaled app={} release={} {}=1", app, observed.currentRelease(), spec.type());
                return Optional.of("job " + app + "/" + spec.type() + " to be scheduled");
            }
            case DONE -> {
                return Optional.empty();
            }
            default -> throw new IllegalStateException("unhandled " + action);
        }
    }

    Observed observe() {
        if (!exists()) {
            return new Observed(false, null, false, null, false, 0, 0);
        }
        String recipe = recipe();
        Release current = currentRelease();
        UUID wanted = controller.releases(app).stream().filter(r -> recipe.equals(r.meta().get(RECIPE)))
                .map(Release::id).findFirst().orElse(null);
        boolean deploying = controller.deployments(app).stream().anyMatch(d ->
                d.status() == DeploymentStatus.PENDING || d.status() == DeploymentStatus.RUNNING);
        int count = current == null ? 0 : count(current.id());
        int active = (int) serverJobs().size();
        return new Observed(true, current == null ? null : current.id(),
                current != null && recipe.equals(current.meta().get(RECIPE)), wanted, deploying, count, active);
    }

    /** The server's job as the controller shows it, in words that follow "waiting for". */
    @Override
    public String describeJob() {
        List<Job> jobs = serverJobs();
        if (jobs.isEmpty()) {
            return "job " + app + "/" + spec.type() + " to be placed on a host";
        }
        Job job = jobs.get(0);
        return "job " + app + "/" + spec.type() + " (" + job.id() + ") to be up (it is " + job.state().wireName()
                + (job.reason() == null ? "" : ": " + job.reason()) + ")";
    }

    private List<Job> serverJobs() {
        return controller.jobs(app, true).stream().filter(j -> spec.type().equals(j.processType())).toList();
    }

    private boolean exists() {
        try {
            controller.app(app);
            return true;
        } catch (PierApiException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    private Release currentRelease() {
        try {
            return controller.currentRelease(app);
        } catch (PierApiException e) {
            if (e.status() == 404 || e.status() == 409) {
                return null;
            }
            throw e;
        }
    }

    private int count(UUID release) {
        try {
            return controller.formation(app, release).processes().getOrDefault(spec.type(), 0);
        } catch (PierApiException e) {
            if (e.status() == 404) {
                return 0;
            }
            throw e;
        }
    }
}
