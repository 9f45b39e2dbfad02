package dev.pier.api.discoverd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.Names;
import org.junit.jupiter.api.Test;

class MetricsAnnouncementTest {

    @Test
    void theScrapeAddressIsTheConfiguredOneOrTheBindAddress() {
        assertThat(MetricsAnnouncement.address("10.0.0.5:9000", "127.0.0.1", 8300)).isEqualTo("10.0.0.5:9000");
        assertThat(MetricsAnnouncement.address(null, "127.0.0.1", 8300)).isEqualTo("127.0.0.1:8300");
        assertThat(MetricsAnnouncement.address("", "0.0.0.0", 8300)).isEqualTo("127.0.0.1:8300");
        assertThat(MetricsAnnouncement.address(null, null, 8310)).isEqualTo("127.0.0.1:8310");
        assertThat(MetricsAnnouncement.address(null, "::1", 8310)).isEqualTo("[::1]:8310");
    }

    @Test
    void instanceIdsAreValidDiscoverdNames() {
        assertThat(MetricsAnnouncement.instanceId("pier-controller", "127.0.0.1:8300"))
                .isEqualTo("pier-controller-127.0.0.1-8300");
        String id = MetricsAnnouncement.instanceId("Pier_Host-Agent", "[::1]:8320");
        assertThat(id).isEqualTo("pier-host-agent--1-8320");
        assertThat(Names.problemWithService(id)).isEmpty();
        String longOne = MetricsAnnouncement.instanceId("x".repeat(80), "127.0.0.1:1");
        assertThat(longOne).hasSizeLessThanOrEqualTo(63);
        assertThat(Names.problemWithService(longOne)).isEmpty();
        assertThat(Names.problemWithService(MetricsAnnouncement.instanceId("-.a", "1.2.3.4:5"))).isEmpty();
    }
}
