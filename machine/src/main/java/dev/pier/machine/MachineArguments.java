package dev.pier.machine;

import dev.pier.web.boot.SharedJvmArguments;
import java.util.List;
import java.util.Map;

/**
 * A machine's command line split between its two applications: {@code --discoverd.server.port=8310} is discoverd's
 * {@code --server.port=8310}, {@code --host-agent.server.port=8320} the host agent's, and any other argument goes to
 * both (the cluster key, logging levels): {@link SharedJvmArguments}.
 */
record MachineArguments(List<String> discoverd, List<String> hostAgent) {

    static final String DISCOVERD = "discoverd";
    static final String HOST_AGENT = "host-agent";

    MachineArguments {
        discoverd = List.copyOf(discoverd);
        hostAgent = List.copyOf(hostAgent);
    }

    static MachineArguments parse(String... args) {
        Map<String, List<String>> split = SharedJvmArguments.split(List.of(DISCOVERD, HOST_AGENT), args);
        return new MachineArguments(split.get(DISCOVERD), split.get(HOST_AGENT));
    }
}
