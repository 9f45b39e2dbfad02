package dev.pier.machine;

import dev.pier.discoverd.DiscoverdApplication;
import dev.pier.hostagent.HostAgentApplication;
import dev.pier.scheduler.SchedulerApplication;
import dev.pier.web.boot.TrainingRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A machine's discoverd and host agent, started in this JVM: discoverd first (the host agent joins the cluster
 * through it while its context refreshes), the host agent once discoverd serves. Closing stops them the other way
 * round: the host agent leaves the cluster through discoverd, then discoverd stops.
 *
 * <p>A machine given {@code --scheduler.} arguments also runs a scheduler, last: a standby beside the platform's
 * (docs/machines.md). It is the machine's guest, not part of it: a scheduler that cannot start (its port taken, a
 * setting it refuses) leaves discoverd and the host agent serving, says why, and is tried again every
 * {@code schedulerRetry} until it starts or the machine stops.
 */
final class Machine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Machine.class);
    /** How long after a failed start the scheduler is tried again. */
    static final Duration SCHEDULER_RETRY = Duration.ofSeconds(10);

    private final List<ConfigurableApplicationContext> started = new ArrayList<>();
    private volatile ScheduledExecutorService schedulerRetries;
    private volatile boolean closed;

    private Machine() {
    }

    /** Its applications started and serving; if discoverd or the host agent cannot start, all are stopped. */
    static Machine start(MachineArguments arguments) {
        return start(arguments, SCHEDULER_RETRY);
    }

    /** As {@link #start(MachineArguments)}, a scheduler that cannot start tried again every {@code schedulerRetry}. */
    static Machine start(MachineArguments arguments, Duration schedulerRetry) {
        Machine machine = startOwn(arguments, null);
        if (arguments.withScheduler()) {
            machine.startScheduler(arguments, schedulerRetry);
        }
        return machine;
    }

    /**
     * A class-data training run ({@link TrainingRun}): every context refreshed, nothing started (no port is
     * bound, nothing joins the cluster), then {@code whenTrained} runs, as the last one's refresh ends.
     */
    static Machine train(MachineArguments arguments, Runnable whenTrained) {
        Machine machine = startOwn(arguments, whenTrained);
        if (arguments.withScheduler()) {
            try {
                machine.run(scheduler(), arguments.scheduler(), whenTrained, true);
            } catch (RuntimeException e) {
                machine.close();
                throw e;
            }
        }
        return machine;
    }

    private static Machine startOwn(MachineArguments arguments, Runnable whenTrained) {
        Machine machine = new Machine();
        String what = "discoverd";
        try {
            machine.run(DiscoverdApplication.application(), arguments.discoverd(), whenTrained, false);
            what = "host agent";
            machine.run(HostAgentApplication.application(), arguments.hostAgent(), whenTrained,
                    !arguments.withScheduler());
            return machine;
        } catch (RuntimeException e) {
            // Spring Boot has logged the cause; this says which of the machine's two it was
            log.error("event=machine_failed the {} did not start: {}", what, e.toString());
            machine.close();
            throw e;
        }
    }

    /**
     * The scheduler, logging through the machine's logging system as discoverd set it up: the scheduler's own file
     * names another console pattern, and its context would set it for every line of the machine's log after it.
     */
    private static SpringApplicationBuilder scheduler() {
        SpringApplicationBuilder builder = SchedulerApplication.application();
        SpringApplication application = builder.application();
        application.setListeners(application.getListeners().stream()
                .filter(listener -> !(listener instanceof LoggingApplicationListener)).toList());
        return builder;
    }

    /** The standby scheduler, once it starts; tried again while it cannot (the machine serves meanwhile). */
    private void startScheduler(MachineArguments arguments, Duration retry) {
        try {
            run(scheduler(), arguments.scheduler(), null, true);
            log.info("event=machine_scheduler_started");
        } catch (RuntimeException e) {
            if (closed) {
                return;
            }
            log.error("event=machine_scheduler_failed the scheduler did not start ({}); discoverd and the host agent"
                    + " serve on; trying again in {} ms", e.getMessage(), retry.toMillis());
            synchronized (started) {
                if (schedulerRetries == null) {
                    schedulerRetries = Executors.newSingleThreadScheduledExecutor(runnable -> {
                        Thread thread = new Thread(runnable, "machine-scheduler-start");
                        thread.setDaemon(true);
                        return thread;
                    });
                }
                if (!closed) {
                    schedulerRetries.schedule(() -> startScheduler(arguments, retry), retry.toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    private void run(SpringApplicationBuilder application, List<String> args, Runnable whenTrained, boolean last) {
        // one JVM, one logging system, set up by the first context with its application name: without the name,
        // each line names its logger (dev.pier.discoverd…, dev.pier.hostagent…) rather than one application for all
        // and two idle Tomcat workers each, not ten: a worker waits out a minute idle before it ends, and a machine's
        // services serve a few requests a second, their streams aside (the chaos suite's machine JVM had 33 threads
        // of its Tomcats, each some 100 KB resident)
        application.properties("logging.include-application-name=false", "server.tomcat.threads.min-spare=2")
                .registerShutdownHook(false);
        if (whenTrained != null) {
            application.initializers(TrainingRun.refreshOnly(context -> {
                if (last) {
                    whenTrained.run();
                }
            }));
        }
        ConfigurableApplicationContext context = application.run(args.toArray(String[]::new));
        synchronized (started) {
            if (closed) {
                context.close(); // a scheduler that started as the machine stopped
                return;
            }
            started.add(context);
        }
    }

    @Override
    public void close() {
        List<ConfigurableApplicationContext> contexts;
        synchronized (started) {
            closed = true;
            if (schedulerRetries != null) {
                schedulerRetries.shutdownNow();
            }
            contexts = new ArrayList<>(started);
            started.clear();
        }
        for (int i = contexts.size() - 1; i >= 0; i--) {
            contexts.get(i).close();
        }
    }

    /** discoverd's context, then the host agent's, then the scheduler's (those started). */
    List<ConfigurableApplicationContext> contexts() {
        synchronized (started) {
            return List.copyOf(started);
        }
    }
}
