package dev.pier.hostagent.metrics;

import dev.pier.api.JobState;
import dev.pier.api.host.HostInfo;
import dev.pier.api.host.HostJob;
import dev.pier.hostagent.job.JobSupervisor;
import dev.pier.hostagent.runtime.ContainerRuntime;
import dev.pier.hostagent.runtime.ContainerStats;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's jobs in {@code /metrics}. Every {@code interval} the running jobs' CPU and memory are read from the
 * container runtime (Docker's stats), in parallel, off any request path; a scrape only reads the last readings.
 * <ul>
 *   <li>{@code pier_job_cpu_seconds_total{app,process_type,job}}: CPU time the job's container used;</li>
 *   <li>{@code pier_job_memory_bytes{app,process_type,job}}, {@code pier_job_memory_limit_bytes}: memory in use
 *       (page cache excluded, as {@code docker stats} shows it) and the job's limit;</li>
 *   <li>{@code pier_host_job_exits_total{app,process_type,state=crashed|failed|down}}: jobs of this host that
 *       ended (Pier restarts a crashed job by starting a new one: the scheduler counts those restarts as
 *       {@code pier_scheduler_restarts_total});</li>
 *   <li>{@code pier_host_jobs{state}}, {@code pier_host_memory_bytes{kind=total|allocated}}.</li>
 * </ul>
 */
public final class JobMetrics implements MultiCollector, JobSupervisor.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobMetrics.class);
    private static final int PARALLEL_READS = 4;

    private record Reading(HostJob job, ContainerStats stats) {
    }

    private record ExitKey(String app, String processType, String state) {
    }

    private final JobSupervisor supervisor;
    private final ContainerRuntime runtime;
    private final Map<String, Reading> readings = new ConcurrentHashMap<>();
    private final Map<ExitKey, LongAdder> exits = new ConcurrentHashMap<>();
    private final Set<String> counted = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("pier-job-stats"));
    private final ExecutorService readers = Executors.newFixedThreadPool(PARALLEL_READS, daemon("pier-job-stats-read"));

    public JobMetrics(JobSupervisor supervisor, ContainerRuntime runtime) {
        this.supervisor = supervisor;
        this.runtime = runtime;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Reads every {@code interval} from now on, and counts the jobs that end. */
    public void start(Duration interval) {
        supervisor.addListener(this);
        timer.scheduleWithFixedDelay(this::sample, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round of readings: every running job's stats, in parallel; readings of jobs that stopped are dropped. */
    void sample() {
        try {
            List<HostJob> running = supervisor.list().stream()
                    .filter(j -> j.state() == JobState.UP || j.state() == JobState.STARTING
                            || j.state() == JobState.STOPPING)
                    .toList();
            List<Future<?>> reads = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (HostJob job : running) {
                ids.add(job.id());
                reads.add(readers.submit(() -> runtime.stats(job.id()).ifPresentOrElse(
                        stats -> readings.put(job.id(), new Reading(job, stats)), () -> readings.remove(job.id()))));
            }
            for (Future<?> read : reads) {
                read.get(30, TimeUnit.SECONDS);
            }
            readings.keySet().retainAll(ids);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("event=job_stats_failed error=\"{}\"", e.getMessage());
        }
    }

    // ---- JobSupervisor.Listener ----

    @Override
    public void job(HostJob job) {
        if (job.state().isTerminal() && job.app() != null && counted.add(job.id())) {
            exits.computeIfAbsent(new ExitKey(job.app(), String.valueOf(job.processType()), job.state().wireName()),
                    k -> new LongAdder()).increment();
        }
    }

    @Override
    public void host(HostInfo host) {
    }

    @Override
    public void removed(String jobId) {
        counted.remove(jobId);
        readings.remove(jobId);
    }

    // ---- MultiCollector ----

    private static Labels labels(HostJob job) {
        return Labels.of("app", String.valueOf(job.app()), "job", job.id(), "process_type",
                String.valueOf(job.processType()));
    }

    @Override
    public MetricSnapshots collect() {
        List<Reading> all = new ArrayList<>(readings.values());
        all.sort((a, b) -> a.job().id().compareTo(b.job().id()));
        CounterSnapshot.Builder cpu = CounterSnapshot.builder().name("pier_job_cpu_seconds")
                .help("CPU time a job's container used, from the Docker engine's stats.");
        GaugeSnapshot.Builder memory = GaugeSnapshot.builder().name("pier_job_memory_bytes")
                .help("Memory a job's container uses (page cache excluded), from the Docker engine's stats.");
        GaugeSnapshot.Builder limit = GaugeSnapshot.builder().name("pier_job_memory_limit_bytes")
                .help("A job's memory limit.");
        for (Reading r : all) {
            cpu.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(r.stats().cpuNanos() / 1e9)
                    .labels(labels(r.job())).build());
            memory.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(r.stats().memoryBytes())
                    .labels(labels(r.job())).build());
            if (r.stats().limitBytes() > 0) {
                limit.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(r.stats().limitBytes())
                        .labels(labels(r.job())).build());
            }
        }
        CounterSnapshot.Builder ended = CounterSnapshot.builder().name("pier_host_job_exits")
                .help("Jobs of this host that ended, by state (a crashed job is replaced by a new one).");
        exitsByName().values().forEach(e -> ended.dataPoint(
                CounterSnapshot.CounterDataPointSnapshot.builder().value(e.getValue().sum()).labels(Labels.of(
                        "app", e.getKey().app(), "process_type", e.getKey().processType(), "state",
                        e.getKey().state())).build()));
        Map<String, Integer> byState = new TreeMap<>();
        supervisor.list().forEach(j -> byState.merge(j.state().wireName(), 1, Integer::sum));
        GaugeSnapshot.Builder jobs = GaugeSnapshot.builder().name("pier_host_jobs").help("This host's jobs, by state.");
        byState.forEach((state, n) -> jobs.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(n)
                .labels(Labels.of("state", state)).build()));
        HostInfo host = supervisor.host();
        GaugeSnapshot hostMemory = GaugeSnapshot.builder().name("pier_host_memory_bytes")
                .help("This host's memory for jobs: its capacity, and what its jobs were given.")
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(host.totalMemoryMb() * 1024.0 * 1024)
                        .labels(Labels.of("kind", "total")).build())
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .value(host.allocatedMemoryMb() * 1024.0 * 1024).labels(Labels.of("kind", "allocated")).build())
                .build();
        return MetricSnapshots.of(cpu.build(), memory.build(), limit.build(), ended.build(), jobs.build(), hostMemory);
    }

    private Map<String, Map.Entry<ExitKey, LongAdder>> exitsByName() {
        Map<String, Map.Entry<ExitKey, LongAdder>> sorted = new TreeMap<>();
        exits.entrySet().forEach(e -> sorted.put(e.getKey().app() + "\0" + e.getKey().processType() + "\0"
                + e.getKey().state(), e));
        return sorted;
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of("pier_job_cpu_seconds", "pier_job_memory_bytes", "pier_job_memory_limit_bytes",
                "pier_host_job_exits", "pier_host_jobs", "pier_host_memory_bytes");
    }

    @Override
    public void close() {
        supervisor.removeListener(this);
        timer.shutdownNow();
        readers.shutdownNow();
    }
}
