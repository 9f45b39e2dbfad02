package dev.pier.machine;

import dev.pier.web.boot.SharedJvmArguments;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A machine's command line split between its applications: {@code --discoverd.server.port=8310} is discoverd's
 * {@code --server.port=8310}, {@code --host-agent.server.port=8320} the host agent's, {@code --scheduler.X=v} the
 * scheduler's, and any other argument goes to all (the cluster key, logging levels): {@link SharedJvmArguments}. The
 * machine runs a scheduler (a standby beside the platform's, docs/machines.md) only when given a {@code --scheduler.}
 * argument.
 */
record MachineArguments(List<String> discoverd, List<String> hostAgent, List<String> scheduler,
                        boolean withScheduler) {

    static final String DISCOVERD = "discoverd";
    static final String HOST_AGENT = "host-agent";
    static final String SCHEDULER = "scheduler";

    MachineArguments {
        discoverd = List.copyOf(discoverd);
        hostAgent = List.copyOf(hostAgent);
        scheduler = List.copyOf(scheduler);
    }

    static MachineArguments parse(String... args) {
        Map<String, List<String>> split = SharedJvmArguments.split(List.of(DISCOVERD, HOST_AGENT, SCHEDULER), args);
        String scheduler = SharedJvmArguments.prefix(SCHEDULER);
        boolean withScheduler = Arrays.stream(args).anyMatch(arg -> arg.startsWith(scheduler));
        return new MachineArguments(split.get(DISCOVERD), split.get(HOST_AGENT), split.get(SCHEDULER), withScheduler);
    }
}
