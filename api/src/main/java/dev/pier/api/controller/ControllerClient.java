package dev.pier.api.controller;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pier.api.App;
import dev.pier.api.AppUpdate;
import dev.pier.api.Artifact;
import dev.pier.api.Build;
import dev.pier.api.Deployment;
import dev.pier.api.DeploymentUpdate;
import dev.pier.api.Event;
import dev.pier.api.Formation;
import dev.pier.api.FormationUpdate;
import dev.pier.api.Job;
import dev.pier.api.LogLine;
import dev.pier.api.JobReport;
import dev.pier.api.NewApp;
import dev.pier.api.NewArtifact;
import dev.pier.api.NewBuild;
import dev.pier.api.NewDeployment;
import dev.pier.api.NewJob;
import dev.pier.api.NewKey;
import dev.pier.api.NewRelease;
import dev.pier.api.NewProvider;
import dev.pier.api.NewResource;
import dev.pier.api.NewRoute;
import dev.pier.api.Provider;
import dev.pier.api.Release;
import dev.pier.api.ReleaseChange;
import dev.pier.api.Resource;
import dev.pier.api.Route;
import dev.pier.api.SshKey;
import dev.pier.api.SshPublicKey;
import dev.pier.api.attach.JobAttachment;
import dev.pier.api.router.AppRouting;
import dev.pier.api.http.JsonHttpClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The typed client of the controller's REST API, used by every other module and the CLI. Every failure
 * is a {@link dev.pier.api.http.PierApiException} carrying the problem's status, title and detail.
 */
public class ControllerClient extends JsonHttpClient {

    public ControllerClient(URI base, String clusterKey) {
        this(base, clusterKey, DEFAULT_TIMEOUT);
    }

    public ControllerClient(URI base, String clusterKey, Duration timeout) {
        this(base, clusterKey, timeout, () -> null);
    }

    /**
     * A client of a leader: every request carries the fence {@code fence} gives (none when it gives null) in the
     * {@value dev.pier.api.discoverd.Fence#HEADER} header, and the controller makes a change only when that fence is
     * the current leader's (a deposed one's gets a 409, see {@link dev.pier.api.host.HostAgentClient#isFenced}).
     */
    public ControllerClient(URI base, String clusterKey, Duration timeout,
                            java.util.function.Supplier<dev.pier.api.discoverd.Fence> fence) {
        super(base, clusterKey, timeout);
        this.fence = fence;
    }

    private final java.util.function.Supplier<dev.pier.api.discoverd.Fence> fence;

    @Override
    public java.net.http.HttpRequest.Builder request(String path) {
        java.net.http.HttpRequest.Builder builder = super.request(path);
        dev.pier.api.discoverd.Fence held = fence.get();
        return held == null ? builder : builder.header(dev.pier.api.discoverd.Fence.HEADER, held.header());
    }

    private static String appPath(String name) {
        return "/apps/" + encode(name);
    }

    // Apps

    public App createApp(NewApp request) {
        return post("/apps", request, App.class);
    }

    public List<App> apps() {
        return get("/apps", new TypeReference<>() { });
    }

    public App app(String name) {
        return get(appPath(name), App.class);
    }

    public App updateApp(String name, AppUpdate update) {
        return patch(appPath(name), update, App.class);
    }

    public void deleteApp(String name) {
        delete(appPath(name));
    }

    // Artifacts and releases

    public Artifact createArtifact(NewArtifact request) {
        return post("/artifacts", request, Artifact.class);
    }

    public Artifact artifact(UUID id) {
        return get("/artifacts/" + id, Artifact.class);
    }

    public Release createRelease(String appName, NewRelease request) {
        return post(appPath(appName) + "/releases", request, Release.class);
    }

    /** Newest first. */
    public List<Release> releases(String appName) {
        return get(appPath(appName) + "/releases", new TypeReference<>() { });
    }

    public Release release(String appName, UUID id) {
        return get(appPath(appName) + "/releases/" + id, Release.class);
    }

    public Release currentRelease(String appName) {
        return get(appPath(appName) + "/release", Release.class);
    }

    public ReleaseChange rollback(String appName, UUID releaseId) {
        String path = releaseId == null ? appPath(appName) + "/rollback" : appPath(appName) + "/releases/" + releaseId + "/rollback";
        return post(path, null, ReleaseChange.class);
    }

    // Config vars

    public Map<String, String> env(String appName) {
        return get(appPath(appName) + "/env", new TypeReference<>() { });
    }

    /** Sets the non-null values and unsets the null ones, in one new release. */
    public ReleaseChange changeEnv(String appName, Map<String, String> changes) {
        // Written by hand: the shared mapper leaves nulls out, and here a null means "unset".
        ObjectNode body = json().createObjectNode();
        changes.forEach((name, value) -> {
            if (value == null) {
                body.putNull(name);
            } else {
                body.put(name, value);
            }
        });
        return patch(appPath(appName) + "/env", body, ReleaseChange.class);
    }

    // Formations

    public Formation scale(String appName, UUID releaseId, Map<String, Integer> processes) {
        return put(appPath(appName) + "/formations/" + releaseId, new FormationUpdate(processes), Formation.class);
    }

    /** Scales, and sets each process type's memory limit (MB; the types it leaves out get the default). */
    public Formation scale(String appName, UUID releaseId, Map<String, Integer> processes,
                           Map<String, Integer> memoryMb) {
        return put(appPath(appName) + "/formations/" + releaseId, new FormationUpdate(processes, memoryMb),
                Formation.class);
    }

    public Formation formation(String appName, UUID releaseId) {
        return get(appPath(appName) + "/formations/" + releaseId, Formation.class);
    }

    public List<Formation> formations(String appName) {
        return get(appPath(appName) + "/formations", new TypeReference<>() { });
    }

    public List<Formation> allFormations() {
        return get("/formations", new TypeReference<>() { });
    }

    // Jobs

    public Job reportJob(String appName, String jobId, JobReport report) {
        return put(appPath(appName) + "/jobs/" + encode(jobId), report, Job.class);
    }

    public List<Job> jobs(String appName, boolean activeOnly) {
        return get(appPath(appName) + "/jobs?active=" + activeOnly, new TypeReference<>() { });
    }

    /** The cluster's volumes (every app's when {@code appName} is null), with their hosts and the jobs using them. */
    public List<dev.pier.api.Volume> volumes(String appName) {
        String path = appName == null ? "/volumes" : "/volumes?app=" + encode(appName);
        return get(path, new TypeReference<>() { });
    }

    /** Deletes a volume and its data (409 while a job uses it or its host is lost). */
    public void deleteVolume(String name) {
        delete("/volumes/" + encode(name));
    }

    public Job job(String appName, String jobId) {
        return get(appPath(appName) + "/jobs/" + encode(jobId), Job.class);
    }

    /** Starts a one-off job ({@code pier run}) in the app's current release, or {@code request.releaseId()}. */
    public Job run(String appName, NewJob request) {
        return post(appPath(appName) + "/jobs", request, Job.class);
    }

    /** Stops a job on its host; its state follows as the scheduler reports it. */
    public Job stopJob(String appName, String jobId) {
        return send(request(appPath(appName) + "/jobs/" + encode(jobId)).DELETE().build(), json().constructType(Job.class));
    }

    /**
     * Reads one job's output from its host: the last {@code lines} lines (all when null), then with
     * {@code follow} new lines until the job ends. Runs on the calling thread.
     */
    public void jobLog(String appName, String jobId, Integer lines, boolean follow, Consumer<LogLine> sink) {
        readNdjson(jobLogRequest(appName, jobId, lines, follow), LogLine.class, sink, "the output of job " + jobId);
    }

    /** Follows a job's output from its start while {@code sink} answers true, or until the job ends. */
    public void followJobLogWhile(String appName, String jobId, Predicate<LogLine> sink) {
        readNdjsonWhile(jobLogRequest(appName, jobId, null, true), LogLine.class, sink, "the output of job " + jobId);
    }

    private HttpRequest jobLogRequest(String appName, String jobId, Integer lines, boolean follow) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("lines", lines);
        query.put("follow", follow);
        return request(withQuery(appPath(appName) + "/jobs/" + encode(jobId) + "/log", query))
                .setHeader("Accept", "application/x-ndjson").timeout(follow ? Duration.ofDays(3650) : Duration.ofSeconds(60))
                .GET().build();
    }

    /**
     * Attaches to a one-off job started with {@code interactive} ({@code GET /apps/{app}/jobs/{id}/attach}): its
     * output goes to {@code output}; the job's container starts when this attach opens, so none of it is missed.
     * Throws {@link dev.pier.api.http.PierApiException} when the socket cannot be opened.
     */
    public JobAttachment attach(String appName, String jobId, Consumer<byte[]> output) {
        String path = appPath(appName) + "/jobs/" + encode(jobId) + "/attach";
        return JobAttachment.open("job " + jobId, output, handler -> attachSocket(path, handler),
                timeout().toMillis() * 2);
    }

    /** Starts a build of the source tarball already in the blobstore (see {@link Build}). */
    public Build build(String appName, NewBuild request) {
        return post(appPath(appName) + "/builds", request, Build.class);
    }

    /** The app's builds, newest first. */
    public List<Build> builds(String appName, int limit) {
        return get(appPath(appName) + "/builds?limit=" + limit, new TypeReference<>() { });
    }

    public Build build(String appName, UUID buildId) {
        return get(appPath(appName) + "/builds/" + buildId, Build.class);
    }

    /**
     * A build's output from its first line; with {@code follow}, until the build ends (it is then released or
     * failed: ask for the build). Runs on the calling thread.
     */
    public void buildLog(String appName, UUID buildId, boolean follow, Consumer<LogLine> sink) {
        readNdjson(request(withQuery(appPath(appName) + "/builds/" + buildId + "/log", Map.of("follow", follow)))
                        .setHeader("Accept", "application/x-ndjson")
                        .timeout(follow ? Duration.ofDays(3650) : Duration.ofSeconds(60)).GET().build(),
                LogLine.class, sink, "the output of build " + buildId);
    }

    public List<Job> allJobs(boolean activeOnly) {
        return get("/jobs?active=" + activeOnly, new TypeReference<>() { });
    }

    // Deployments

    public Deployment deploy(String appName, NewDeployment request) {
        return post(appPath(appName) + "/deploy", request, Deployment.class);
    }

    /** The app's recent figures per process type, after {@code since} (null: all the controller keeps). */
    public dev.pier.api.metrics.AppMetrics appMetrics(String appName, java.time.Instant since) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("since", since);
        return get(withQuery(appPath(appName) + "/metrics", query), dev.pier.api.metrics.AppMetrics.class);
    }

    public List<Deployment> deployments(String appName) {
        return get(appPath(appName) + "/deployments", new TypeReference<>() { });
    }

    public Deployment deployment(UUID id) {
        return get("/deployments/" + id, Deployment.class);
    }

    /** Pending and running deployments of every app, oldest first. */
    public List<Deployment> activeDeployments() {
        return get("/deployments?active=true", new TypeReference<>() { });
    }

    /** Moves a deployment along its status table (the deployment runner's call). */
    public Deployment updateDeployment(UUID id, DeploymentUpdate update) {
        return put("/deployments/" + id, update, Deployment.class);
    }

    // Routes

    public Route addRoute(String appName, NewRoute request) {
        return post(appPath(appName) + "/routes", request, Route.class);
    }

    public List<Route> routes(String appName) {
        return get(appPath(appName) + "/routes", new TypeReference<>() { });
    }

    /** The app's domains and what every router routes to its web service now. */
    public AppRouting routing(String appName) {
        return get(appPath(appName) + "/routing", AppRouting.class);
    }

    /** {@code route} is the route's id or its domain. */
    public void removeRoute(String appName, String route) {
        delete(appPath(appName) + "/routes/" + encode(route));
    }

    public List<Route> allRoutes() {
        return get("/routes", new TypeReference<>() { });
    }

    // Keys

    public SshKey addKey(String publicKeyLine) {
        return post("/keys", new NewKey(publicKeyLine), SshKey.class);
    }

    public List<SshKey> keys() {
        return get("/keys", new TypeReference<>() { });
    }

    /** By fingerprint, in OpenSSH's form or the URL-safe one. */
    public SshKey key(String fingerprint) {
        return get("/keys/" + encode(SshPublicKey.urlSafe(fingerprint)), SshKey.class);
    }

    public void removeKey(String fingerprint) {
        delete("/keys/" + encode(SshPublicKey.urlSafe(fingerprint)));
    }

    // Logs

    /**
     * Reads the app's log: the last {@code lines} lines (of {@code processType} only, when given), then with
     * {@code follow} new lines until the stream is closed by the server or the thread is interrupted.
     * Runs on the calling thread.
     */
    public void log(String appName, String processType, int lines, boolean follow, Consumer<LogLine> sink) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("lines", lines);
        query.put("process", processType);
        query.put("follow", follow);
        HttpRequest request = request(withQuery(appPath(appName) + "/log", query))
                .setHeader("Accept", "application/x-ndjson").timeout(follow ? Duration.ofDays(3650) : Duration.ofSeconds(60))
                .GET().build();
        readNdjson(request, LogLine.class, sink, "the log stream");
    }

    // Events

    /** A page of the log: after {@code since} (oldest first), or the newest {@code count} when since is null. */
    public List<Event> events(String appName, Set<String> types, Long since, int count) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("app", appName);
        query.put("types", types == null || types.isEmpty() ? null : String.join(",", types));
        query.put("since", since);
        query.put("count", count);
        return get(withQuery("/events", query), new TypeReference<>() { });
    }

    /**
     * Follows the event log as Server-Sent Events on a background thread, from after {@code afterId} (null:
     * from now), reconnecting with back-off and resuming after the last event seen, so no event is lost or
     * repeated. Close the handle to stop.
     */
    public EventSubscription followEvents(String appName, Set<String> types, Long afterId, Consumer<Event> onEvent) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("app", appName);
        query.put("types", types == null || types.isEmpty() ? null : String.join(",", types));
        long start = afterId != null ? afterId
                : events(appName, types, null, 1).stream().mapToLong(Event::id).max().orElse(0);
        return new EventSubscription(this, withQuery("/events", query), start, onEvent);
    }

    // Providers and resources (add-ons)

    public Provider createProvider(NewProvider request) {
        return post("/providers", request, Provider.class);
    }

    public List<Provider> providers() {
        return get("/providers", new TypeReference<>() { });
    }

    public Provider provider(String name) {
        return get("/providers/" + encode(name), Provider.class);
    }

    /** Provisions a resource of {@code provider} and attaches it to {@code request.apps()}. */
    public Resource provision(String provider, NewResource request) {
        return post("/providers/" + encode(provider) + "/resources", request, Resource.class);
    }

    public List<Resource> resources() {
        return get("/resources", new TypeReference<>() { });
    }

    public Resource resource(UUID id) {
        return get("/resources/" + id, Resource.class);
    }

    public List<Resource> appResources(String appName) {
        return get(appPath(appName) + "/resources", new TypeReference<>() { });
    }

    /** Attaches a resource to an app: its env set on the app as a new release, deployed. */
    public Resource attachResource(UUID id, String appName) {
        return put("/resources/" + id + "/apps/" + encode(appName), null, Resource.class);
    }

    /** Detaches a resource from an app: its env unset on the app as a new release, deployed. */
    public Resource detachResource(UUID id, String appName) {
        return send(request("/resources/" + id + "/apps/" + encode(appName)).DELETE().build(),
                json().constructType(Resource.class));
    }

    /**
     * Deprovisions a resource; with {@code detach} it first detaches it from its apps (else an attached one is a
     * 409 naming them). Answers the resource as it was, with the releases the detaching made.
     */
    public Resource deprovision(UUID id, boolean detach) {
        return send(request("/resources/" + id + (detach ? "?detach=true" : "")).DELETE().build(),
                json().constructType(Resource.class));
    }
}
