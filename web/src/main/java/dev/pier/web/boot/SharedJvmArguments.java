package dev.pier.web.boot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of one JVM that runs several applications (a machine's discoverd and host agent, the platform's
 * Layer 1), split between them: {@code --host-agent.server.port=8320} is the application {@code host-agent}'s
 * {@code --server.port=8320}, and any argument no application's prefix claims goes to all of them (the cluster key,
 * logging levels). They share one environment, so what must differ between them (ports, addresses, advertised
 * metrics addresses) is given so, as arguments, which win over the environment.
 */
public final class SharedJvmArguments {
    private SharedJvmArguments() {
    }

    /**
     * Each application's arguments, in the order given, keyed by its name ({@code names}' order); an argument that
     * names an application but no property ({@code --host-agent.=1}) is refused.
     */
    public static Map<String, List<String>> split(List<String> names, String... args) {
        Map<String, List<String>> byName = new LinkedHashMap<>();
        names.forEach(name -> byName.put(name, new ArrayList<>()));
        for (String arg : args) {
            String owner = names.stream().filter(name -> arg.startsWith(prefix(name))).findFirst().orElse(null);
            if (owner == null) {
                byName.values().forEach(list -> list.add(arg));
            } else {
                byName.get(owner).add(option(arg, prefix(owner)));
            }
        }
        byName.replaceAll((name, list) -> List.copyOf(list));
        return byName;
    }

    /** {@code --host-agent.}: an argument so prefixed is that application's alone. */
    public static String prefix(String name) {
        return "--" + name + ".";
    }

    private static String option(String arg, String prefix) {
        String option = arg.substring(prefix.length());
        if (option.isEmpty() || option.startsWith("=") || option.startsWith(".")) {
            throw new IllegalArgumentException("\"" + arg + "\" names no property after " + prefix
                    + " (for example " + prefix + "server.port=8080)");
        }
        return "--" + option;
    }
}
