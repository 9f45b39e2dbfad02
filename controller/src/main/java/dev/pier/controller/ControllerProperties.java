package dev.pier.controller;

import dev.pier.api.Names;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code pier.controller.*}: the cluster domain under which every app gets its default route, and discoverd
 * (where the controller finds host agents, to read apps' logs); without it, app logs are unavailable.
 */
@ConfigurationProperties("pier.controller")
public record ControllerProperties(@DefaultValue("pier.localhost") String defaultDomain, java.net.URI discoverdUrl) {
    public ControllerProperties {
        Names.problemWithDomain(defaultDomain).ifPresent(problem -> {
            throw new IllegalArgumentException("pier.controller.default-domain: " + problem);
        });
    }
}
