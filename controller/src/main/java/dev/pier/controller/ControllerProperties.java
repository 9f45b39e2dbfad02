package dev.pier.controller;

import dev.pier.api.Names;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code pier.controller.*}: the cluster domain under which every app gets its default route; discoverd (where
 * the controller finds the host leader and host agents, for logs, one-off jobs and builds: without it those
 * answer 503); and what one-off jobs and builds run: the stack images, their memory, the build time limit, and
 * the blobstore's URL as jobs' containers reach it ({@code job-blobstore-url}, to which the controller signs
 * URLs: jobs hold no key); and how long a call to an add-on provider may take ({@code provider-timeout}).
 */
@ConfigurationProperties("pier.controller")
public record ControllerProperties(
        @DefaultValue("pier.localhost") String defaultDomain,
        URI discoverdUrl,
        @DefaultValue("http://host.docker.internal:8340") URI jobBlobstoreUrl,
        @DefaultValue("pier/stack-build:latest") String stackBuildImage,
        @DefaultValue("pier/stack-run:latest") String slugRunnerImage,
        @DefaultValue("1024") int buildMemoryMb,
        @DefaultValue("15m") Duration buildTimeout,
        @DefaultValue("512") int runMemoryMb,
        @DefaultValue("30s") Duration providerTimeout) {

    public ControllerProperties {
        Names.problemWithDomain(defaultDomain).ifPresent(problem -> {
            throw new IllegalArgumentException("pier.controller.default-domain: " + problem);
        });
        if (buildMemoryMb < 64 || runMemoryMb < 6) {
            throw new IllegalArgumentException("pier.controller.build-memory-mb must be at least 64 and "
                    + "run-memory-mb at least 6");
        }
        if (providerTimeout.isNegative() || providerTimeout.isZero()) {
            throw new IllegalArgumentException("pier.controller.provider-timeout must be positive");
        }
        if (buildTimeout.isNegative() || buildTimeout.isZero()) {
            throw new IllegalArgumentException("pier.controller.build-timeout must be positive");
        }
    }

    /** The URL a job's container reaches the blob at {@code path} by (unsigned). */
    public String jobBlobUrl(String path) {
        String base = jobBlobstoreUrl.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/blobs/" + path;
    }
}
