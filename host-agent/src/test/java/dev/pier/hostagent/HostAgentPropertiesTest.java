package dev.pier.hostagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HostAgentPropertiesTest {

    private static HostAgentProperties properties(String hostId, String range, long memory, Duration grace) {
        return properties(hostId, range, memory, grace, null);
    }

    private static HostAgentProperties properties(String hostId, String range, long memory, Duration grace,
                                                  String jobAddress) {
        return new HostAgentProperties(hostId, "127.0.0.1", range, memory, "unix:///var/run/docker.sock", grace,
                Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(3), Duration.ofSeconds(60), null, null,
                Duration.ofSeconds(10), null, jobAddress, Duration.ofSeconds(2));
    }

    private static HostAgentProperties leases(Duration discoverdTtl, Duration hostTtl) {
        return new HostAgentProperties("h", "127.0.0.1", "20000-20999", 4096, "unix:///x", Duration.ofSeconds(10),
                Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(3), Duration.ofSeconds(60), null, null,
                discoverdTtl, hostTtl, null, Duration.ofSeconds(2));
    }

    @Test
    void theHostsOwnRegistrationHasAShorterLeaseThanItsJobsUnlessSet() {
        assertThat(leases(Duration.ofSeconds(5), null).hostTtl()).isEqualTo(Duration.ofSeconds(3));
        assertThat(leases(Duration.ofSeconds(2), null).hostTtl()).as("never longer than the jobs' own lease")
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(leases(Duration.ofSeconds(5), Duration.ofSeconds(8)).hostTtl()).isEqualTo(Duration.ofSeconds(8));
        assertThatThrownBy(() -> leases(Duration.ofSeconds(5), Duration.ofMillis(1500)))
                .hasMessage("pier.host-agent.host-ttl must be a whole number of seconds, at least 1s, not PT1.5S");
        assertThatThrownBy(() -> leases(Duration.ofMillis(500), null))
                .hasMessageContaining("pier.host-agent.discoverd-ttl");
    }

    @Test
    void theJobAddressIsTheBindAddressUnlessSet() {
        assertThat(properties("h", "20000-20999", 4096, Duration.ofSeconds(10)).jobAddress()).isEqualTo("127.0.0.1");
        assertThat(properties("h", "20000-20999", 4096, Duration.ofSeconds(10), "").jobAddress())
                .isEqualTo("127.0.0.1");
        assertThat(properties("h", "20000-20999", 4096, Duration.ofSeconds(10), "172.17.0.1").jobAddress())
                .isEqualTo("172.17.0.1");
        assertThatThrownBy(() -> properties("h", "20000-20999", 4096, Duration.ofSeconds(10), "a b"))
                .hasMessageContaining("pier.host-agent.job-address");
    }

    @Test
    void aBadValueNamesItsProperty() {
        assertThat(properties("host-1", "20000-20999", 4096, Duration.ofSeconds(10)).ports().first()).isEqualTo(20000);
        assertThatThrownBy(() -> properties("Host_1", "20000-20999", 4096, Duration.ofSeconds(10)))
                .hasMessageContaining("pier.host-agent.host-id");
        assertThatThrownBy(() -> properties("h", "20000", 4096, Duration.ofSeconds(10)))
                .hasMessageContaining("pier.host-agent.port-range");
        assertThatThrownBy(() -> properties("h", "20000-20999", 1, Duration.ofSeconds(10)))
                .hasMessageContaining("pier.host-agent.total-memory-mb");
        assertThatThrownBy(() -> properties("h", "20000-20999", 4096, Duration.ofSeconds(-1)))
                .hasMessageContaining("pier.host-agent.stop-grace");
        assertThatThrownBy(() -> new HostAgentProperties("h", "127.0.0.1", "20000-20999", 4096, "unix:///x",
                Duration.ofSeconds(10), Duration.ofSeconds(-2), Duration.ofSeconds(60), Duration.ofSeconds(3),
                Duration.ofSeconds(60), null, null, Duration.ofSeconds(10), null, null, Duration.ofSeconds(2)))
                .hasMessageContaining("pier.host-agent.drain");
        assertThatThrownBy(() -> new HostAgentProperties("h", "127.0.0.1", "20000-20999", 4096, "unix:///x",
                Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(3),
                Duration.ofSeconds(60), null, null, Duration.ofSeconds(10), null, null, Duration.ofMillis(10)))
                .hasMessageContaining("pier.host-agent.standby-copy-every");
    }
}
