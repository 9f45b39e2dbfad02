package dev.pier.scheduler;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code pier.scheduler.*}: where the controller and discoverd are, this scheduler's id, how often it
 * reconciles, what a job holds of a host's memory, the image slugs run in, and how long an ended job's container
 * and logs are kept.
 */
@ConfigurationProperties("pier.scheduler")
public record SchedulerProperties(
        @DefaultValue("http://127.0.0.1:8300") URI controllerUrl,
        @DefaultValue("http://127.0.0.1:8310") URI discoverdUrl,
        @DefaultValue("scheduler-1") String id,
        @DefaultValue("127.0.0.1:8330") String advertisedAddress,
        @DefaultValue("3s") Duration interval,
        @DefaultValue("256") int jobMemoryMb,
        @DefaultValue("pier/stack-run:latest") String slugRunnerImage,
        @DefaultValue("10m") Duration endedJobRetention) {

    public SchedulerProperties {
        if (!id.matches("^[a-z0-9][a-z0-9-.]{0,62}$")) {
            throw new IllegalArgumentException("pier.scheduler.id '" + id + "' must be lowercase letters, digits, '-' and '.'");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("pier.scheduler.interval must be positive");
        }
        if (endedJobRetention.isNegative()) {
            throw new IllegalArgumentException("pier.scheduler.ended-job-retention must not be negative");
        }
        if (jobMemoryMb < 16 || jobMemoryMb > 1_048_576) {
            throw new IllegalArgumentException("pier.scheduler.job-memory-mb must be between 16 and 1048576");
        }
    }
}
