package dev.pier.web.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.Names;
import org.junit.jupiter.api.Test;

class MetricsRegistrationTest {

    @Test
    void theScrapeAddressIsTheConfiguredOneOrTheBindAddress() {
        assertThat(MetricsRegistration.advertisedAddress("10.0.0.5:9000", "127.0.0.1", 8300)).isEqualTo("10.0.0.5:9000");
        assertThat(MetricsRegistration.advertisedAddress(null, "127.0.0.1", 8300)).isEqualTo("127.0.0.1:8300");
        assertThat(MetricsRegistration.advertisedAddress("", "0.0.0.0", 8300)).isEqualTo("127.0.0.1:8300");
        assertThat(MetricsRegistration.advertisedAddress(null, null, 8310)).isEqualTo("127.0.0.1:8310");
        assertThat(MetricsRegistration.advertisedAddress(null, "::1", 8310)).isEqualTo("[::1]:8310");
    }

    @Test
    void instanceIdsAreValidDiscoverdNames() {
        assertThat(MetricsRegistration.instanceId("pier-controller", "127.0.0.1:8300"))
                .isEqualTo("pier-controller-127.0.0.1-8300");
        String id = MetricsRegistration.instanceId("Pier_Host-Agent", "[::1]:8320");
        assertThat(id).isEqualTo("pier-host-agent--1-8320");
        assertThat(Names.problemWithService(id)).isEmpty();
        String longOne = MetricsRegistration.instanceId("x".repeat(80), "127.0.0.1:1");
        assertThat(longOne).hasSizeLessThanOrEqualTo(63);
        assertThat(Names.problemWithService(longOne)).isEmpty();
    }
}
