package dev.pier.controller.dashboard;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code pier.controller.dashboard.*}.
 *
 * @param sessionIdle a dashboard session unused this long ends (the browser signs in again)
 */
@ConfigurationProperties("pier.controller.dashboard")
public record DashboardProperties(@DefaultValue("12h") Duration sessionIdle) {
    public DashboardProperties {
        if (sessionIdle.toSeconds() < 60) {
            throw new IllegalArgumentException("pier.controller.dashboard.session-idle must be at least 1m, not "
                    + sessionIdle);
        }
    }
}
