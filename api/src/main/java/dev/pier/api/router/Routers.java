package dev.pier.api.router;

import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.http.PierApiException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every router of the cluster, found through discoverd ({@link RoutedService#ROUTER_SERVICE}), asked what it
 * routes to a service. Used by the deployment runner and by the controller's {@code GET /apps/{app}/routing}.
 * Thread-safe.
 */
public final class Routers {
    /** A router answers from memory: one that takes longer is as good as down for a check. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final DiscoverdClient discoverd;
    private final String clusterKey;
    private final Map<String, RouterClient> clients = new ConcurrentHashMap<>();

    public Routers(DiscoverdClient discoverd, String clusterKey) {
        this.discoverd = discoverd;
        this.clusterKey = clusterKey;
    }

    /** Each registered router's answer about {@code service} (a failed one says why); empty when none runs. */
    public List<RouterAnswer> ask(String service) {
        List<RouterAnswer> answers = new ArrayList<>();
        for (Instance router : discoverd.instances(RoutedService.ROUTER_SERVICE)) {
            String url = "http://" + router.address();
            try {
                answers.add(RouterAnswer.of(clients.computeIfAbsent(url,
                        u -> new RouterClient(URI.create(u), clusterKey, TIMEOUT)).service(service)));
            } catch (PierApiException e) {
                answers.add(RouterAnswer.failed(router.id(), e.getMessage()));
            }
        }
        return answers;
    }
}
