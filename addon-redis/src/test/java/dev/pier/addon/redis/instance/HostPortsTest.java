package dev.pier.addon.redis.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which host port a new instance gets. */
class HostPortsTest {
    @Test
    void theLowestPortOfTheRangeNoInstanceHolds() {
        assertThat(HostPorts.next(Set.of(), 56379, 100)).hasValue(56379);
        assertThat(HostPorts.next(Set.of(56379, 56380, 56382), 56379, 100)).hasValue(56381);
        assertThat(HostPorts.next(Set.of(1234, 56380), 56379, 100)).as("ports outside the range do not count")
                .hasValue(56379);
    }

    @Test
    void aFullRangeHasNoPort() {
        assertThat(HostPorts.next(Set.of(56379, 56380), 56379, 2)).isEmpty();
        assertThat(HostPorts.next(Set.of(), 65535, 10)).as("never past 65535").hasValue(65535);
        assertThat(HostPorts.next(Set.of(65535), 65535, 10)).isEmpty();
    }
}
