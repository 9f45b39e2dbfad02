package dev.pier.scheduler.placement;

import java.time.Duration;
import java.time.Instant;

/**
 * When a crashed slot may start again: at once after the first crash, then after 1 s, 2 s, 4 s, ...
 * doubling up to 5 minutes; a job that stayed up for 10 minutes before crashing starts the count afresh.
 * Immutable: each crash gives the next value.
 */
public record RestartBackoff(int consecutiveCrashes, Instant notBefore) {
    public static final Duration CAP = Duration.ofMinutes(5);
    public static final Duration RESET_AFTER_UP = Duration.ofMinutes(10);

    public static RestartBackoff none() {
        return new RestartBackoff(0, Instant.EPOCH);
    }

    /** The delay before restarting after the n-th consecutive crash (n ≥ 1). */
    public static Duration delayAfter(int crashes) {
        if (crashes <= 1) {
            return Duration.ZERO;
        }
        int exponent = Math.min(crashes - 2, 20);
        Duration delay = Duration.ofSeconds(1L << exponent);
        return delay.compareTo(CAP) > 0 ? CAP : delay;
    }

    /** The state after a job of the slot crashed at {@code at}, having been up for {@code upFor} (null: never up). */
    public RestartBackoff afterCrash(Instant at, Duration upFor) {
        int crashes = upFor != null && upFor.compareTo(RESET_AFTER_UP) >= 0 ? 1 : consecutiveCrashes + 1;
        return new RestartBackoff(crashes, at.plus(delayAfter(crashes)));
    }

    public boolean isWaiting(Instant now) {
        return now.isBefore(notBefore);
    }
}
