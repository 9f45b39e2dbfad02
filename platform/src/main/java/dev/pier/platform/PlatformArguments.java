package dev.pier.platform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The platform's command line split between its services: {@code --controller.server.port=8300} is the controller's
 * {@code --server.port=8300}, {@code --router.pier.router.port=8080} the router's, and so on for every prefix of
 * {@link Service}; any other argument goes to all of them (the cluster key, logging levels). They share one
 * environment, so what must differ between them (ports, addresses, advertised metrics addresses) is given here, as
 * arguments, which win over the environment.
 */
record PlatformArguments(Map<Service, List<String>> byService) {

    PlatformArguments {
        Map<Service, List<String>> copy = new LinkedHashMap<>();
        for (Service service : Service.values()) {
            copy.put(service, List.copyOf(byService.getOrDefault(service, List.of())));
        }
        byService = Map.copyOf(copy);
    }

    static PlatformArguments parse(String... args) {
        Map<Service, List<String>> byService = new LinkedHashMap<>();
        for (Service service : Service.values()) {
            byService.put(service, new ArrayList<>());
        }
        for (String arg : args) {
            Service owner = null;
            for (Service service : Service.values()) {
                if (arg.startsWith(service.argumentPrefix())) {
                    owner = service;
                    break;
                }
            }
            if (owner == null) {
                byService.values().forEach(list -> list.add(arg));
            } else {
                byService.get(owner).add(option(arg, owner.argumentPrefix()));
            }
        }
        return new PlatformArguments(byService);
    }

    /** The arguments of one service, in the order given. */
    List<String> of(Service service) {
        return byService.get(service);
    }

    private static String option(String arg, String prefix) {
        String option = arg.substring(prefix.length());
        if (option.isEmpty() || option.startsWith("=") || option.startsWith(".")) {
            throw new IllegalArgumentException("\"" + arg + "\" names no property after " + prefix
                    + " (for example " + prefix + "server.port=8300)");
        }
        return "--" + option;
    }
}
