package dev.pier.hostagent.discovery;

import dev.pier.api.router.RouterAnswer;
import dev.pier.api.router.Routers;
import dev.pier.api.discoverd.DiscoverdClient;
import dev.pier.api.discoverd.Election;
import dev.pier.api.discoverd.Instance;
import dev.pier.api.discoverd.Registration;
import dev.pier.api.discoverd.ServiceEvent;
import dev.pier.api.discoverd.Watch;
import dev.pier.api.host.HostInfo;
import dev.pier.api.http.PierApiException;
import java.io.Closeable;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Discovery} over discoverd's typed client: the agent is instance {@code <host-id>} of {@code pier-host}
 * (address {@code host:port} of its API, meta {@code url} and capacity), web jobs are instances of
 * {@code <app>-web} named by job id (jobs at a fixed host port of {@code <app>-<type>}, with meta {@code job_addr}), and the leadership is the {@code pier-host-leader} election. Registrations
 * and the candidacy heartbeat on their own and come back by themselves after a discoverd outage.
 */
public final class DiscoverdDiscovery implements Discovery {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoverdDiscovery.class);

    private final DiscoverdClient client;
    private final Duration ttl;
    private final Duration hostTtl;
    private final Map<String, Registration> jobs = new ConcurrentHashMap<>();
    private final Routers routers;
    private volatile Registration host;
    private volatile Election election;

    /**
     * {@code ttl}: the lease of the jobs' registrations; {@code hostTtl}: the lease of the host's own registration and
     * of its leadership, shorter, so that a dead machine is unlisted (and probed, and lost) sooner, and a host leader
     * that died with its machine is followed sooner.
     */
    public DiscoverdDiscovery(URI discoverd, String clusterKey, Duration ttl, Duration hostTtl) {
        this.client = new DiscoverdClient(discoverd, clusterKey);
        this.ttl = ttl;
        this.hostTtl = hostTtl;
        this.routers = new Routers(client, clusterKey);
    }

    static String address(String url) {
        URI uri = URI.create(url);
        return uri.getHost() + ":" + uri.getPort();
    }

    private static HostEntry entry(Instance instance) {
        String url = instance.meta().getOrDefault("url", "http://" + instance.address());
        return new HostEntry(instance.id(), url);
    }

    @Override
    public void registerHost(HostInfo info) {
        Registration old = host;
        host = client.register(HOST_SERVICE, info.id(), address(info.url()), Map.of("url", info.url(),
                "total_memory_mb", String.valueOf(info.totalMemoryMb())), hostTtl);
        if (old != null) {
            old.close();
        }
        LOG.info("event=discovery.host-registered host={} url={}", info.id(), info.url());
    }

    @Override
    public void registerJob(String service, String jobId, String address) {
        registerJob(service, jobId, address, Map.of());
    }

    @Override
    public void registerJob(String service, String jobId, String address, Map<String, String> meta) {
        try {
            Map<String, String> all = new java.util.HashMap<>(meta);
            all.put("job", jobId);
            Registration registration = client.register(service, jobId, address, all, ttl);
            Registration old = jobs.put(service + "/" + jobId, registration);
            if (old != null) {
                old.close();
            }
            LOG.info("event=discovery.job-registered service={} job={} address={}", service, jobId, address);
        } catch (PierApiException e) {
            LOG.warn("event=discovery.job-not-registered service={} job={} reason=\"{}\"", service, jobId,
                    e.getMessage());
        }
    }

    @Override
    public Optional<Boolean> stillRouted(String service, String jobId) {
        try {
            boolean routed = false;
            for (RouterAnswer answer : routers.ask(service)) {
                if (answer.view() == null) {
                    return Optional.empty(); // a router that does not answer may still route to it
                }
                routed |= answer.view().instances().contains(jobId);
            }
            return Optional.of(routed);
        } catch (PierApiException e) {
            return Optional.empty();
        }
    }

    @Override
    public void deregisterJob(String service, String jobId) {
        Registration registration = jobs.remove(service + "/" + jobId);
        if (registration != null) {
            registration.close();
            LOG.info("event=discovery.job-deregistered service={} job={}", service, jobId);
        }
    }

    @Override
    public List<HostEntry> hosts() {
        return client.instances(HOST_SERVICE).stream().map(DiscoverdDiscovery::entry).toList();
    }

    @Override
    public Closeable watchHosts(Runnable left) {
        Watch watch = client.watch(HOST_SERVICE, event -> {
            if (event.kind() == ServiceEvent.Kind.DOWN) {
                left.run();
            }
        });
        return watch::close;
    }

    @Override
    public void campaign(HostInfo self, LeadershipListener listener) {
        election = client.campaign(LEADER_SERVICE, self.id(), address(self.url()), Map.of("url", self.url()), hostTtl,
                new Election.Listener() {
                    @Override
                    public void elected(Instance leader) {
                        listener.elected();
                    }

                    @Override
                    public void deposed() {
                        listener.deposed();
                    }
                });
    }

    @Override
    public Optional<HostEntry> leader() {
        try {
            Instance leader = client.leader(LEADER_SERVICE).leader();
            return Optional.ofNullable(leader).map(DiscoverdDiscovery::entry);
        } catch (PierApiException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        Election current = election;
        if (current != null) {
            current.close();
        }
        jobs.values().forEach(Registration::close);
        jobs.clear();
        if (host != null) {
            host.close();
        }
        client.close();
    }
}
