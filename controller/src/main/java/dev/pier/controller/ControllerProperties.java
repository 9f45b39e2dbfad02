package dev.pier.controller;

import dev.pier.api.Names;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code pier.controller.*}: the cluster domain under which every app gets its default route. */
@ConfigurationProperties("pier.controller")
public record ControllerProperties(@DefaultValue("pier.localhost") String defaultDomain) {
    public ControllerProperties {
        Names.problemWithDomain(defaultDomain).ifPresent(problem -> {
            throw new IllegalArgumentException("pier.controller.default-domain: " + problem);
        });
    }
}
