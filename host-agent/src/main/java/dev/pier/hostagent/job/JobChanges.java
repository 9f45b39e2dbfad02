package dev.pier.hostagent.job;

import dev.pier.api.host.HostInfo;
import dev.pier.api.host.HostJob;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this host's job changes to the {@link JobSupervisor.Listener}s (the SSE stream, the metrics), in the
 * order they were made, on one event thread; a listener that throws misses that change and no other listener does.
 * Each change carries the host as that change left it.
 */
final class JobChanges {
    private static final Logger LOG = LoggerFactory.getLogger(JobChanges.class);

    private final ExecutorService events = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pier-job-events");
        thread.setDaemon(true);
        return thread;
    });
    private final List<JobSupervisor.Listener> listeners = new CopyOnWriteArrayList<>();

    void add(JobSupervisor.Listener listener) {
        listeners.add(listener);
    }

    void remove(JobSupervisor.Listener listener) {
        listeners.remove(listener);
    }

    /** The event thread: what runs on it runs after every change published so far. */
    Executor thread() {
        return events;
    }

    /** A job as it is now, and its host. */
    void job(HostJob job, HostInfo host) {
        each(listener -> {
            listener.job(job);
            listener.host(host);
        });
    }

    /** The host alone changed (a volume made or deleted). */
    void host(HostInfo host) {
        each(listener -> listener.host(host));
    }

    /** An ended job was removed with its container; {@code host} is the host without it. */
    void removed(String jobId, HostInfo host) {
        each(listener -> {
            listener.removed(jobId);
            listener.host(host);
        });
    }

    void close() {
        events.shutdown();
    }

    private void each(Consumer<JobSupervisor.Listener> change) {
        events.execute(() -> {
            for (JobSupervisor.Listener listener : listeners) {
                try {
                    change.accept(listener);
                } catch (RuntimeException e) {
                    LOG.debug("event=listener.failed reason={}", e.getMessage());
                }
            }
        });
    }
}
