package dev.pier.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthCheckTest {

    @Test
    void anHttpCheckPassesOnA2xxOrOnTheStatusItAsksFor() {
        assertThat(HealthCheck.http("/health").passes(204)).isTrue();
        assertThat(HealthCheck.http("/health").passes(301)).isFalse();
        assertThat(HealthCheck.http("/health").withStatus(301).passes(301)).isTrue();
        assertThat(HealthCheck.http("/health").withStatus(200).passes(204)).isFalse();
    }

    @Test
    void itSaysWhatItChecks() {
        assertThat(HealthCheck.http(null).describe(8080)).isEqualTo("a TCP connection to port 8080");
        assertThat(HealthCheck.http("/up").describe(5000)).isEqualTo("GET /up on port 5000 answering 2xx");
        assertThat(HealthCheck.http("/up").withStatus(200).describe(5000)).isEqualTo("GET /up on port 5000 answering 200");
        assertThat(ProcessType.web("npm start").checkDescription())
                .isEqualTo("its health check (a TCP connection to port 8080)");
        assertThat(HealthCheck.http("/").timeout()).isEqualTo(HealthCheck.DEFAULT_TIMEOUT);
        assertThat(HealthCheck.http("/").withTimeout(5).timeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void eachBadSettingIsNamed() {
        assertThat(HealthCheck.http("/ok").withStatus(200).withInterval(5).withTimeout(2).withGrace(30).problem()).isEmpty();
        assertThat(HealthCheck.http("health").problem()).get().extracting(HealthCheck.Problem::field).isEqualTo("path");
        assertThat(HealthCheck.http("/a b").problem()).get().extracting(HealthCheck.Problem::field).isEqualTo("path");
        assertThat(HealthCheck.http("/").withStatus(99).problem()).get().extracting(HealthCheck.Problem::field)
                .isEqualTo("status");
        assertThat(HealthCheck.http(null).withStatus(200).problem()).get().extracting(HealthCheck.Problem::message)
                .isEqualTo("a health check status needs a path (an HTTP check)");
        assertThat(HealthCheck.http("/").withInterval(0).problem()).get().extracting(HealthCheck.Problem::field)
                .isEqualTo("interval_seconds");
        assertThat(HealthCheck.http("/").withTimeout(61).problem()).get().extracting(HealthCheck.Problem::field)
                .isEqualTo("timeout_seconds");
        assertThat(HealthCheck.http("/").withGrace(3601).problem()).get().extracting(HealthCheck.Problem::field)
                .isEqualTo("grace_seconds");
    }
}
