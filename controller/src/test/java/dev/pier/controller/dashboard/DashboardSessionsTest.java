package dev.pier.controller.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DashboardSessionsTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-05T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final DashboardSessions sessions = new DashboardSessions(Duration.ofMinutes(30), clock);

    @Test
    void aSessionLastsWhileUsedAndEndsWhenIdleOrSignedOut() {
        Map.Entry<String, DashboardSessions.Session> made = sessions.create();
        String id = made.getKey();
        assertThat(id).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(made.getValue().csrf());
        assertThat(sessions.use(id)).isEqualTo(made.getValue());
        now.set(now.get().plus(Duration.ofMinutes(29)));
        assertThat(sessions.use(id)).as("used within the idle time").isNotNull();
        now.set(now.get().plus(Duration.ofMinutes(29)));
        assertThat(sessions.use(id)).as("29 minutes after its last use").isNotNull();
        now.set(now.get().plus(Duration.ofMinutes(30)));
        assertThat(sessions.use(id)).as("idle for 30 minutes").isNull();

        String other = sessions.create().getKey();
        sessions.end(other);
        assertThat(sessions.use(other)).isNull();
        assertThat(sessions.use("nonsense")).isNull();
        assertThat(sessions.use("")).isNull();
        assertThat(sessions.use(null)).isNull();
    }

    @Test
    void theCsrfTokenMustMatchExactly() {
        DashboardSessions.Session session = sessions.create().getValue();
        assertThat(DashboardSessions.csrfMatches(session, session.csrf())).isTrue();
        assertThat(DashboardSessions.csrfMatches(session, session.csrf() + "x")).isFalse();
        assertThat(DashboardSessions.csrfMatches(session, "")).isFalse();
        assertThat(DashboardSessions.csrfMatches(session, null)).isFalse();
        assertThat(sessions.create().getValue().csrf()).isNotEqualTo(session.csrf());
    }
}
