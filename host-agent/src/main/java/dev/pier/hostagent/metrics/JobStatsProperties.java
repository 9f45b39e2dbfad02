package dev.pier.hostagent.metrics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code pier.host-agent.stats.*}.
 *
 * @param interval how often every running job's CPU and memory are read from the Docker engine (at least 1s)
 */
@ConfigurationProperties("pier.host-agent.stats")
public record JobStatsProperties(@DefaultValue("10s") Duration interval) {
    public JobStatsProperties {
        if (interval.toMillis() < 1000) {
            throw new IllegalArgumentException("pier.host-agent.stats.interval must be at least 1s, not " + interval);
        }
    }
}
