package dev.pier.controller.cluster;

import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.host.ClusterView;
import dev.pier.api.host.HostAgentClient;
import dev.pier.api.http.PierApiException;
import dev.pier.api.router.RouterAnswer;
import dev.pier.api.router.Routers;
import dev.pier.controller.ControllerProperties;
import dev.pier.web.ApiProblem;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The controller's way to the hosts, through discoverd: the host leader's cluster view (to place one-off jobs)
 * and the host agents ({@code pier-host} instances carry each agent's URL), for jobs' output and to start and
 * stop one-off jobs. Without {@code pier.controller.discoverd-url} every call is a 503 that says so.
 */
@Component
public class ClusterHosts {
    static final String HOST_SERVICE = "pier-host";
    static final String HOST_LEADER_SERVICE = "pier-host-leader";

    private final DiscoverdClient discoverd;
    private final String clusterKey;
    private final AtomicReference<Routers> routers = new AtomicReference<>();

    public ClusterHosts(ControllerProperties properties, @Value("${pier.cluster-key}") String clusterKey) {
        this.discoverd = properties.discoverdUrl() == null ? null : new DiscoverdClient(properties.discoverdUrl(), clusterKey);
        this.clusterKey = clusterKey;
    }

    private DiscoverdClient discoverd(String forWhat) {
        if (discoverd == null) {
            throw ApiProblem.unavailable(forWhat + " need discoverd: set pier.controller.discoverd-url");
        }
        return discoverd;
    }

    /** The instances of {@code service} in discoverd (503 when discoverd is not configured or answers not). */
    public List<Instance> instances(String service, String forWhat) {
        try {
            return discoverd(forWhat).instances(service);
        } catch (PierApiException e) {
            throw ApiProblem.unavailable("cannot list " + service + " in discoverd: " + e.getMessage());
        }
    }

    /** Whether discoverd is configured at all ({@code pier.controller.discoverd-url}). */
    public boolean configured() {
        return discoverd != null;
    }

        /** Every live host agent by host id. */
    public Map<String, HostAgentClient> agents(String forWhat) {
        Map<String, HostAgentClient> agents = new HashMap<>();
        try {
            for (Instance host : discoverd(forWhat).instances(HOST_SERVICE)) {
                agents.put(host.id(), client(urlOf(host)));
            }
        } catch (PierApiException e) {
            throw ApiProblem.unavailable("cannot list host agents in discoverd: " + e.getMessage());
        }
        return agents;
    }

    /** The host leader's view of the cluster. */
    public ClusterView view(String forWhat) {
        try {
            Instance leader = discoverd(forWhat).leader(HOST_LEADER_SERVICE).leader();
            if (leader == null) {
                throw ApiProblem.unavailable("no host leader is elected: is any host agent running?");
            }
            return client(urlOf(leader)).cluster();
        } catch (PierApiException e) {
            throw ApiProblem.unavailable("cannot read the cluster view from the host leader: " + e.getMessage());
        }
    }

    /** What every router routes to {@code service} now (one answer per router registered in discoverd). */
    public List<RouterAnswer> routing(String service, String forWhat) {
        DiscoverdClient client = discoverd(forWhat);
        try {
            return routers.updateAndGet(r -> r != null ? r : new Routers(client, clusterKey)).ask(service);
        } catch (PierApiException e) {
            throw ApiProblem.unavailable("cannot list the routers in discoverd: " + e.getMessage());
        }
    }

    public HostAgentClient client(String url) {
        return new HostAgentClient(URI.create(url), clusterKey, Duration.ofSeconds(15));
    }

    private static String urlOf(Instance instance) {
        String url = instance.meta().get("url");
        return url != null ? url : "http://" + instance.address();
    }
}
