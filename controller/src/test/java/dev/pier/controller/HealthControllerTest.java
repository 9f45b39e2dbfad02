package dev.pier.controller;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.support.StaticApplicationContext;

class HealthControllerTest {
    @Test
    void notHealthyUntilTheApplicationHasFullyStarted() {
        ApplicationAvailabilityBean availability = new ApplicationAvailabilityBean();
        HealthController health = new HealthController(null, availability); // PostgreSQL is not asked while starting
        var starting = health.health();
        assertThat(starting.getStatusCode().value()).isEqualTo(503);
        assertThat(starting.getBody()).containsEntry("status", "starting");

        availability.onApplicationEvent(new AvailabilityChangeEvent<>(new StaticApplicationContext(),
                ReadinessState.REFUSING_TRAFFIC));
        assertThat(health.health().getStatusCode().value()).isEqualTo(503);
    }
}
