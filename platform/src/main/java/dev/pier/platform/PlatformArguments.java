package dev.pier.platform;

import dev.pier.web.boot.SharedJvmArguments;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The platform's command line split between its services: {@code --controller.server.port=8300} is the controller's
 * {@code --server.port=8300}, {@code --router.pier.router.port=8080} the router's, and so on for every prefix of
 * {@link Service}; any other argument goes to all of them (the cluster key, logging levels): {@link SharedJvmArguments}.
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
        List<Service> services = List.of(Service.values());
        Map<String, List<String>> split = SharedJvmArguments.split(services.stream().map(Service::id).toList(), args);
        Map<Service, List<String>> byService = new LinkedHashMap<>();
        services.forEach(service -> byService.put(service, split.get(service.id())));
        return new PlatformArguments(byService);
    }

    /** The arguments of one service, in the order given. */
    List<String> of(Service service) {
        return byService.get(service);
    }
}
