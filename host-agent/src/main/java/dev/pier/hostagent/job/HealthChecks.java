package dev.pier.hostagent.job;

import dev.pier.api.HealthCheck;
import dev.pier.api.host.JobSpec;
import dev.pier.hostagent.runtime.ContainerRuntime;
import dev.pier.hostagent.runtime.PortListeners;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The health checks of this host's jobs, each probe run on the workers and at most one per job at a time. A
 * starting job whose port serves (its release's {@link HealthCheck}, else a TCP connection) has passed; one that
 * has not within its check's grace (the release's, else the agent's) never will; an up job is checked every
 * interval (the release's, else the agent's), and one that fails {@link #FAILURES_TO_CRASH} checks in a row has
 * failed while up. What follows from each verdict (the job's move, stopping its container) is the
 * {@link Verdicts}' to do.
 */
public final class HealthChecks {
    /** Consecutive failed health checks after which an up job is crashed. */
    public static final int FAILURES_TO_CRASH = HealthCheck.FAILURES_TO_CRASH;
    /** How long a starting job's TCP check waits for the connection when its runtime cannot tell whether it listens. */
    static final Duration STARTING_CONNECT = Duration.ofMillis(300);

    /** What the checks found; called from a worker thread. */
    public interface Verdicts {
        /** A starting job's check passed. */
        void passed(String jobId);

        /**
         * A starting job's check did not pass within {@code timeout}; {@code finding} says what its last look found
         * (nothing listens on the port, it listens on a loopback address only, a connection through the published
         * port was refused...), null when none was made.
         */
        void neverPassed(String jobId, Duration timeout, String finding);

        /** An up job failed {@link #FAILURES_TO_CRASH} checks in a row. */
        void failedWhileUp(String jobId);
    }

    /** Whether a job's container listens on a port ({@link ContainerRuntime#binding}). */
    @FunctionalInterface
    public interface Listeners {
        PortListeners.Binding binding(String jobId, int port);
    }

    private final HealthProbe probe;
    private final Listeners listeners;
    private final String address;
    private final Duration defaultTimeout;
    private final Duration defaultInterval;
    private final Map<String, Instant> lastUpCheck = new ConcurrentHashMap<>();
    private final Executor workers;
    private final Verdicts verdicts;
    private final Set<String> probing = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> failedChecks = new ConcurrentHashMap<>();
    /** What the last look at each starting job's port found, while it does not serve. */
    private final Map<String, String> lastFinding = new ConcurrentHashMap<>();

    /**
     * {@code address} is where jobs' ports are published; {@code defaultTimeout} (the grace of a new job) and
     * {@code defaultInterval} apply when a release sets none.
     */
    public HealthChecks(HealthProbe probe, Listeners listeners, String address, Duration defaultTimeout,
                        Duration defaultInterval, Executor workers, Verdicts verdicts) {
        this.probe = probe;
        this.listeners = listeners;
        this.address = address;
        this.defaultTimeout = defaultTimeout;
        this.defaultInterval = defaultInterval;
        this.workers = workers;
        this.verdicts = verdicts;
    }

    /** How long a job may take to pass its first check: its health check's grace, else the agent's. */
    public static Duration timeout(JobSpec spec, Duration defaultTimeout) {
        return spec.healthCheck() != null && spec.healthCheck().graceSeconds() != null
                ? Duration.ofSeconds(spec.healthCheck().graceSeconds()) : defaultTimeout;
    }

    /** How often an up job is checked: its health check's interval, else the agent's. */
    static Duration interval(JobSpec spec, Duration defaultInterval) {
        return spec.healthCheck() != null && spec.healthCheck().intervalSeconds() != null
                ? Duration.ofSeconds(spec.healthCheck().intervalSeconds()) : defaultInterval;
    }

    /** The check a job's port is held to, in words (for the reasons a job ends with). */
    public static String describe(JobSpec spec) {
        HealthCheck check = spec.healthCheck() == null ? HealthCheck.http(null) : spec.healthCheck();
        return spec.port() == null ? "running" : check.describe(spec.port());
    }

    /** Probes jobs that are starting with a container (the table's {@link JobTable#startingWithContainer}). */
    public void checkStarting(List<JobTable.Entry> starting, Instant now) {
        lastFinding.keySet().retainAll(starting.stream().map(JobTable.Entry::id).toList()); // those that left starting
        for (JobTable.Entry entry : starting) {
            String id = entry.id();
            if (!probing.add(id)) {
                continue;
            }
            workers.execute(() -> {
                try {
                    PortFinding finding = look(entry, true);
                    if (finding.serves()) {
                        lastFinding.remove(id);
                        verdicts.passed(id);
                        return;
                    }
                    if (finding.why() != null) {
                        lastFinding.put(id, finding.why());
                    }
                    Duration timeout = timeout(entry.spec(), defaultTimeout);
                    if (Duration.between(entry.startingSince(), now).compareTo(timeout) > 0) {
                        verdicts.neverPassed(id, timeout, lastFinding.remove(id));
                    }
                } finally {
                    probing.remove(id);
                }
            });
        }
    }

    /**
     * Probes the up jobs with a port (the table's {@link JobTable#upWithPort}) whose interval has passed since
     * their last check; forgets the others' failures.
     */
    public void checkUp(List<JobTable.Entry> up, Instant now) {
        List<String> ids = up.stream().map(JobTable.Entry::id).toList();
        failedChecks.keySet().retainAll(ids);
        lastUpCheck.keySet().retainAll(ids);
        for (JobTable.Entry entry : up) {
            String id = entry.id();
            Instant last = lastUpCheck.get(id);
            if (last != null && last.plus(interval(entry.spec(), defaultInterval)).isAfter(now)) {
                continue;
            }
            if (!probing.add(id)) {
                continue;
            }
            lastUpCheck.put(id, now);
            workers.execute(() -> {
                try {
                    if (look(entry, false).serves()) {
                        failedChecks.remove(id);
                    } else if (failedChecks.merge(id, 1, Integer::sum) >= FAILURES_TO_CRASH) {
                        failedChecks.remove(id);
                        verdicts.failedWhileUp(id);
                    }
                } finally {
                    probing.remove(id);
                }
            });
        }
    }

    /**
     * A job without a port is healthy while it runs; one with a port when it serves (TCP, or HTTP 2xx on its path).
     * A starting job is first asked whether it listens on its port at all, from its container's socket tables
     * ({@link Listeners}): Docker's proxy accepts connections on the published port whether or not the app listens,
     * so only once the app listens does a connection through the proxy say it serves; the connection then waits
     * as long as the check's timeout. Where the runtime cannot tell, a starting job's TCP check connects within
     * {@link #STARTING_CONNECT} and counts a connection the proxy does not close at once ({@link HealthProbe#tcp}):
     * a proxy too slow to accept is "not yet" (the check runs again next pass) rather than risk routing to an app
     * that does not listen. An up job's TCP check waits as long as its check's timeout: a slow host must not crash a
     * healthy app.
     */
    private PortFinding look(JobTable.Entry entry, boolean starting) {
        if (entry.hostPort() == null) {
            return PortFinding.SERVES;
        }
        HealthCheck check = entry.spec().healthCheck();
        boolean http = check != null && check.path() != null;
        Duration timeout = check == null ? HealthCheck.DEFAULT_TIMEOUT : check.timeout();
        PortListeners.Binding binding = PortListeners.Binding.UNKNOWN;
        if (starting && entry.spec().port() != null) {
            int port = entry.spec().port();
            binding = listeners.binding(entry.id(), port);
            if (binding == PortListeners.Binding.NOT_LISTENING) {
                return PortFinding.not(notListeningFinding(port));
            }
            if (binding == PortListeners.Binding.LOOPBACK_ONLY) {
                return PortFinding.not(loopbackFinding(port));
            }
            if (binding == PortListeners.Binding.UNKNOWN && !http) {
                timeout = STARTING_CONNECT;
            }
        }
        PortFinding finding = http ? probe.http(address, entry.hostPort(), check)
                : probe.tcp(address, entry.hostPort(), timeout);
        // a published port that refuses an app which listens is the host's fault, not the app's: say which
        return finding.serves() || binding != PortListeners.Binding.LISTENING ? finding
                : PortFinding.not("the app listens on port " + entry.spec().port() + ", but " + finding.why());
    }

    /** Why a job that never listens on its port never passes: the words its crash reason ends with. */
    static String notListeningFinding(int port) {
        return "nothing in its container listens on port " + port + " (the app must listen on $PORT)";
    }

    /** Why a job that listens on loopback only never passes: the words its crash reason ends with. */
    static String loopbackFinding(int port) {
        return "the app listens on port " + port + " on a loopback address only (127.0.0.1 or ::1), which nothing "
                + "outside its container reaches: listen on 0.0.0.0, all addresses, on $PORT";
    }
}
