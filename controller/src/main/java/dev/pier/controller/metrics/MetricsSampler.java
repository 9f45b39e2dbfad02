package dev.pier.controller.metrics;

import dev.pier.api.discoverd.Instance;
import dev.pier.api.discoverd.MetricsAnnouncement;
import dev.pier.api.metrics.ProcessFigures;
import dev.pier.api.metrics.PrometheusText;
import dev.pier.controller.cluster.ClusterHosts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Every {@code pier.controller.metrics.interval}, reads the {@code /metrics} of every router and host agent that
 * announced itself in discoverd ({@code pier-metrics}), in parallel, and adds each app's figures since the round
 * before to the {@link MetricsHistory}. Process types are those the routers count and those of the app's current
 * release (so one-off jobs, builds among them, are left out). Without discoverd it does nothing.
 */
@Component
public class MetricsSampler implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsSampler.class);
    static final Set<String> SAMPLED = Set.of("pier-router", "pier-host-agent");

    private final ClusterHosts hosts;
    private final MetricsHistory history;
    private final MetricsProperties properties;
    private final JdbcTemplate jdbc;
    private final String clusterKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private ScheduledExecutorService timer;
    private volatile Map<String, Reading> previous;
    private long previousNanos;
    private volatile Instant lastRound;
    private volatile String lastProblem;

    public MetricsSampler(ClusterHosts hosts, MetricsHistory history, MetricsProperties properties, JdbcTemplate jdbc,
            @Value("${pier.cluster-key}") String clusterKey) {
        this.hosts = hosts;
        this.history = history;
        this.properties = properties;
        this.jdbc = jdbc;
        this.clusterKey = clusterKey;
    }

    /** The memory each job used at the last round, by job id. */
    public Map<String, Long> jobMemory() {
        Map<String, Reading> last = previous;
        Map<String, Long> memory = new HashMap<>();
        if (last != null) {
            last.values().forEach(r -> r.jobs().forEach((id, job) -> {
                if (!Double.isNaN(job.memoryBytes())) {
                    memory.put(id, (long) job.memoryBytes());
                }
            }));
        }
        return memory;
    }

    /** When the last round ran, null before the first. */
    public Instant lastRound() {
        return lastRound;
    }

    /** Why the last round read nothing, or null. */
    public String lastProblem() {
        return lastProblem;
    }

    /** One round: read every sampled service, add the figures since the round before. */
    void round() {
        try {
            List<Instance> targets = hosts.instances(MetricsAnnouncement.SERVICE, "app metrics").stream()
                    .filter(i -> SAMPLED.contains(i.meta().get(MetricsAnnouncement.META_SERVICE))).toList();
            long now = System.nanoTime();
            Map<String, CompletableFuture<Reading>> reads = new HashMap<>();
            for (Instance target : targets) {
                reads.put(target.id(), read(target));
            }
            Map<String, Reading> readings = new HashMap<>();
            reads.forEach((id, read) -> {
                try {
                    readings.put(id, read.join());
                } catch (RuntimeException e) {
                    LOG.debug("event=metrics_read_failed target={} error=\"{}\"", id, e.getMessage());
                }
            });
            if (previous != null && !readings.isEmpty()) {
                double seconds = (now - previousNanos) / 1e9;
                history.add(Instant.now(), withProcessTypes(AppFigures.between(previous, readings, seconds)));
            }
            previous = readings;
            previousNanos = now;
            lastRound = Instant.now();
            lastProblem = targets.isEmpty() ? "no router or host agent announced its metrics in discoverd"
                    : readings.isEmpty() ? "no router or host agent answered" : null;
        } catch (RuntimeException e) {
            lastProblem = e.getMessage();
            LOG.warn("event=metrics_round_failed error=\"{}\"", e.getMessage());
        }
    }

    private CompletableFuture<Reading> read(Instance target) {
        String path = target.meta().getOrDefault(MetricsAnnouncement.META_PATH, MetricsAnnouncement.PATH);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + target.address() + path))
                .header("Authorization", "Bearer " + clusterKey)
                .timeout(Duration.ofMillis(Math.min(5000, properties.interval().toMillis() / 2))).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException(target.address() + path + " answered " + response.statusCode());
            }
            return Reading.of(PrometheusText.parse(response.body()));
        });
    }

    /** Keeps the process types the routers count and those of each app's current release. */
    private Map<String, Map<String, ProcessFigures>> withProcessTypes(Map<String, Map<String, ProcessFigures>> all) {
        Map<String, Set<String>> released = new HashMap<>();
        jdbc.query("SELECT a.name, jsonb_object_keys(r.processes) FROM apps a JOIN releases r ON r.id = a.release_id "
                + "WHERE a.deleted_at IS NULL", rs -> {
                    released.computeIfAbsent(rs.getString(1), a -> new java.util.HashSet<>()).add(rs.getString(2));
                });
        Map<String, Map<String, ProcessFigures>> kept = new TreeMap<>();
        all.forEach((app, processes) -> {
            Map<String, ProcessFigures> types = new TreeMap<>();
            processes.forEach((type, figures) -> {
                if (figures.requestsPerSecond() != null || released.getOrDefault(app, Set.of()).contains(type)) {
                    types.put(type, figures);
                }
            });
            if (!types.isEmpty()) {
                kept.put(app, types);
            }
        });
        return kept;
    }

    @Override
    public void start() {
        if (!hosts.configured()) {
            LOG.info("event=metrics_sampling_off reason=\"pier.controller.discoverd-url is not set\"");
            lastProblem = "the controller has no discoverd (pier.controller.discoverd-url) to find routers and agents";
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "pier-metrics-sampler");
            thread.setDaemon(true);
            return thread;
        });
        long ms = properties.interval().toMillis();
        timer.scheduleAtFixedRate(this::round, ms, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
