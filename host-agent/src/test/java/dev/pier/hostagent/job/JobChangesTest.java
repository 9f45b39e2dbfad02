package dev.pier.hostagent.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pier.api.JobState;
import dev.pier.api.host.HostInfo;
import dev.pier.api.host.HostJob;
import dev.pier.api.host.JobSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Changes reach every listener in the order they were made, on the event thread, whatever one listener does. */
class JobChangesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final JobChanges changes = new JobChanges();

    @AfterEach
    void close() {
        changes.close();
    }

    /** Writes down what it hears, as {@code job:<id>:<state>}, {@code host:<active jobs>}, {@code removed:<id>}. */
    private static final class Notes implements JobSupervisor.Listener {
        final List<String> heard = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public void job(HostJob job) {
            heard.add("job:" + job.id() + ":" + job.state().wireName());
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void host(HostInfo host) {
            heard.add("host:" + host.activeJobs());
        }

        @Override
        public void removed(String jobId) {
            heard.add("removed:" + jobId);
        }
    }

    @Test
    void everyListenerHearsEveryChangeInOrderOnTheEventThreadEvenWhenAnotherThrows() {
        JobSupervisor.Listener broken = new JobSupervisor.Listener() {
            @Override
            public void job(HostJob job) {
                throw new IllegalStateException("a listener that breaks");
            }

            @Override
            public void host(HostInfo host) {
                throw new IllegalStateException("a listener that breaks");
            }

            @Override
            public void removed(String jobId) {
                throw new IllegalStateException("a listener that breaks");
            }
        };
        Notes notes = new Notes();
        changes.add(broken);
        changes.add(notes);
        JobTable table = new JobTable("h1", "u", "127.0.0.1", new PortRange(20000, 20001), 512);
        HostJob pending = table.admit(JobSpec.of("w", "shop", "worker", "img", List.of("work")), T0, p -> true).job();

        changes.job(pending, table.host());
        JobTable.Move starting = table.move("w", JobState.STARTING, null, null, T0);
        changes.job(starting.job(), starting.host());
        JobTable.Move down = table.move("w", JobState.DOWN, "exited with status 0", 0, T0);
        changes.job(down.job(), down.host());
        table.remove("w");
        changes.removed("w", table.host());
        changes.host(table.host());

        await().atMost(Duration.ofSeconds(5)).until(() -> notes.heard.size() == 9);
        assertThat(notes.heard).containsExactly("job:w:pending", "host:1", "job:w:starting", "host:1", "job:w:down",
                "host:0", "removed:w", "host:0", "host:0");
        assertThat(notes.threads).containsOnly("pier-job-events");
    }

    @Test
    void aTaskOnTheEventThreadRunsAfterEveryChangePublishedBeforeAndARemovedListenerHearsNoMore() {
        Notes notes = new Notes();
        changes.add(notes);
        JobTable table = new JobTable("h1", "u", "127.0.0.1", new PortRange(20000, 20001), 512);
        HostJob pending = table.admit(JobSpec.of("w", "shop", "worker", "img", List.of("work")), T0, p -> true).job();
        List<Integer> seenByTask = new CopyOnWriteArrayList<>();

        changes.job(pending, table.host());
        changes.thread().execute(() -> seenByTask.add(notes.heard.size()));
        await().atMost(Duration.ofSeconds(5)).until(() -> seenByTask.size() == 1);
        changes.remove(notes);
        changes.host(table.host());
        changes.thread().execute(() -> seenByTask.add(notes.heard.size()));

        await().atMost(Duration.ofSeconds(5)).until(() -> seenByTask.size() == 2);
        assertThat(seenByTask).containsExactly(2, 2);
    }
}
