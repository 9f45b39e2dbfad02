package dev.pier.machine;

import dev.pier.web.boot.TrainingRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pier-machine.jar}: a machine's own services in one JVM, discoverd and the host agent, each its own Spring
 * application (its own context, properties file, port and beans) sharing the JVM's loaded classes, compiled code and
 * heap (docs/machines.md has what that saves); on the machine given {@code --scheduler.} arguments, a standby
 * scheduler too. Arguments: {@code --discoverd.X=v} is discoverd's {@code --X=v}, {@code --host-agent.X=v} the host
 * agent's, {@code --scheduler.X=v} the scheduler's, any other all's ({@link MachineArguments}).
 *
 * <p>Exit status 1 when discoverd or the host agent cannot start (a supervisor starts the whole machine again, never
 * half of it; a scheduler that cannot start is tried again in the running machine, {@link Machine}), 2 for
 * arguments it cannot read. {@code -Dspring.context.exit=onRefresh} makes it a class-data training run
 * ({@link TrainingRun}).
 */
public final class MachineApplication {

    private static final Logger log = LoggerFactory.getLogger(MachineApplication.class);

    private MachineApplication() {
    }

    public static void main(String[] args) {
        boolean training = TrainingRun.takeOver();
        MachineArguments arguments;
        try {
            arguments = MachineArguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("pier-machine: " + e.getMessage());
            System.exit(2);
            return;
        }
        Machine machine;
        try {
            machine = training ? Machine.train(arguments, () -> Runtime.getRuntime().halt(0)) : Machine.start(arguments);
        } catch (RuntimeException e) {
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(machine::close, "machine-shutdown"));
        log.info("event=machine_started discoverd and host agent serving{}", machine.contexts().size() > 2
                ? ", the standby scheduler too" : arguments.withScheduler() ? ", the standby scheduler not yet" : "");
    }
}
