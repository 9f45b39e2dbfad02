package dev.pier.machine;

import java.util.ArrayList;
import java.util.List;

/**
 * A machine's command line split between its two applications: {@code --discoverd.server.port=8310} is discoverd's
 * {@code --server.port=8310}, {@code --host-agent.server.port=8320} the host agent's, and any other argument goes to
 * both (the cluster key, logging levels). Both share one environment, so what must differ between them (their ports,
 * addresses, advertised metrics addresses) is given here, as arguments, which win over the environment.
 */
record MachineArguments(List<String> discoverd, List<String> hostAgent) {

    static final String DISCOVERD = "--discoverd.";
    static final String HOST_AGENT = "--host-agent.";

    MachineArguments {
        discoverd = List.copyOf(discoverd);
        hostAgent = List.copyOf(hostAgent);
    }

    static MachineArguments parse(String... args) {
        List<String> discoverd = new ArrayList<>();
        List<String> hostAgent = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith(DISCOVERD)) {
                discoverd.add(option(arg, DISCOVERD));
            } else if (arg.startsWith(HOST_AGENT)) {
                hostAgent.add(option(arg, HOST_AGENT));
            } else {
                discoverd.add(arg);
                hostAgent.add(arg);
            }
        }
        return new MachineArguments(discoverd, hostAgent);
    }

    private static String option(String arg, String prefix) {
        String option = arg.substring(prefix.length());
        if (option.isEmpty() || option.startsWith("=") || option.startsWith(".")) {
            throw new IllegalArgumentException("\"" + arg + "\" names no property after " + prefix
                    + " (for example " + prefix + "server.port=8310)");
        }
        return "--" + option;
    }
}
