package dev.pier.hostagent.sandbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code pier.host-agent.sandboxes.*}: the host's pool of network sandboxes, started containers that hold a network
 * namespace ready for a job without a port (a build) to join, or, publishing the web port already, a web job, so its
 * container does not wait for Docker to make one (most of a container's start here). See docs/sandboxes.md.
 *
 * @param size      how many idle sandboxes the host keeps ready (0: none, every job makes its own network)
 * @param webSize   how many idle sandboxes for web jobs it keeps ready, each publishing the web port (8080) on a port
 *                  of the agent's range (0: none, every web job publishes its own)
 * @param image     the image a sandbox runs ({@code /bin/sleep}, for good); a stack image is on every host
 * @param memoryMb  each sandbox's memory limit, taken from the memory the host offers to jobs
 * @param interval  how often the pool is checked (dead sandboxes replaced, stray ones removed)
 */
@ConfigurationProperties("pier.host-agent.sandboxes")
public record SandboxProperties(
        @DefaultValue("1") int size,
        @DefaultValue("1") int webSize,
        @DefaultValue("pier/stack-run:latest") String image,
        @DefaultValue("8") long memoryMb,
        @DefaultValue("10s") Duration interval) {

    public SandboxProperties {
        if (size < 0 || size > 16) {
            throw new IllegalArgumentException("pier.host-agent.sandboxes.size must be 0 to 16, not " + size);
        }
        if (webSize < 0 || webSize > 16) {
            throw new IllegalArgumentException("pier.host-agent.sandboxes.web-size must be 0 to 16, not " + webSize);
        }
        if (size + webSize > 0 && (image == null || image.isBlank())) {
            throw new IllegalArgumentException("pier.host-agent.sandboxes.image must name an image when size > 0");
        }
        if (memoryMb < 6) {
            // Docker refuses a memory limit under 6 MB
            throw new IllegalArgumentException("pier.host-agent.sandboxes.memory-mb must be at least 6, not " + memoryMb);
        }
        if (interval.toMillis() < 1000) {
            throw new IllegalArgumentException("pier.host-agent.sandboxes.interval must be at least 1s, not " + interval);
        }
    }

    /** The memory the pool holds back from jobs: {@code (size + web-size) × memory-mb}. */
    public long reservedMemoryMb() {
        return (size + webSize) * memoryMb;
    }

    /** Whether the host keeps any sandbox at all. */
    public boolean any() {
        return size + webSize > 0;
    }

    /** The memory offered to jobs: the host's total less what the pool holds back. */
    public long memoryForJobs(long totalMemoryMb) {
        long left = totalMemoryMb - reservedMemoryMb();
        if (left < 16) {
            throw new IllegalArgumentException("pier.host-agent.sandboxes: " + (size + webSize) + " sandboxes of " + memoryMb
                    + " MB leave " + left + " MB of pier.host-agent.total-memory-mb (" + totalMemoryMb
                    + ") for jobs; at least 16 are needed");
        }
        return left;
    }
}
