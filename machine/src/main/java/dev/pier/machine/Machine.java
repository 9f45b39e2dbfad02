package dev.pier.machine;

import dev.pier.discoverd.DiscoverdApplication;
import dev.pier.hostagent.HostAgentApplication;
import dev.pier.web.boot.TrainingRun;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A machine's discoverd and host agent, started in this JVM: discoverd first (the host agent joins the cluster
 * through it while its context refreshes), the host agent once discoverd serves. Closing stops them the other way
 * round: the host agent leaves the cluster through discoverd, then discoverd stops.
 */
final class Machine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Machine.class);

    private final List<ConfigurableApplicationContext> started = new ArrayList<>();

    private Machine() {
    }

    /** Both applications started and serving; if either cannot start, whatever had started is stopped. */
    static Machine start(MachineArguments arguments) {
        return start(arguments, null);
    }

    /**
     * A class-data training run ({@link TrainingRun}): both contexts refreshed, nothing started (no port is
     * bound, nothing joins the cluster), then {@code whenTrained} runs, as the host agent's refresh ends.
     */
    static Machine train(MachineArguments arguments, Runnable whenTrained) {
        return start(arguments, whenTrained);
    }

    private static Machine start(MachineArguments arguments, Runnable whenTrained) {
        Machine machine = new Machine();
        try {
            machine.run("discoverd", DiscoverdApplication.application(), arguments.discoverd(), whenTrained, false);
            machine.run("host agent", HostAgentApplication.application(), arguments.hostAgent(), whenTrained, true);
            return machine;
        } catch (RuntimeException e) {
            machine.close();
            throw e;
        }
    }

    private void run(String what, SpringApplicationBuilder application, List<String> args, Runnable whenTrained,
            boolean last) {
        // one JVM, one logging system, set up by the first context with its application name: without the name,
        // each line names its logger (dev.pier.discoverd…, dev.pier.hostagent…) rather than one application for both
        application.properties("logging.include-application-name=false").registerShutdownHook(false);
        if (whenTrained != null) {
            application.initializers(TrainingRun.refreshOnly(context -> {
                if (last) {
                    whenTrained.run();
                }
            }));
        }
        try {
            ConfigurableApplicationContext context = application.run(args.toArray(String[]::new));
            synchronized (started) {
                started.add(context);
            }
        } catch (RuntimeException e) {
            // Spring Boot has logged the cause; this says which of the machine's two it was
            log.error("event=machine_failed the {} did not start: {}", what, e.toString());
            throw e;
        }
    }

    @Override
    public void close() {
        List<ConfigurableApplicationContext> contexts;
        synchronized (started) {
            contexts = new ArrayList<>(started);
            started.clear();
        }
        for (int i = contexts.size() - 1; i >= 0; i--) {
            contexts.get(i).close();
        }
    }

    /** discoverd's context, then the host agent's (those started). */
    List<ConfigurableApplicationContext> contexts() {
        synchronized (started) {
            return List.copyOf(started);
        }
    }
}
