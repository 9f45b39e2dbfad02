package dev.pier.hostagent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SandboxPropertiesTest {
    @Test
    void thePoolsMemoryIsTakenFromWhatTheHostOffersJobs() { // both pools: one sandbox for builds, one for web jobs
        SandboxProperties pool = new SandboxProperties(1, 1, "pier/stack-run:latest", 8, Duration.ofSeconds(10));

        assertThat(pool.reservedMemoryMb()).isEqualTo(16);
        assertThat(pool.memoryForJobs(4096)).isEqualTo(4080);
    }

    @Test
    void sizeZeroHoldsNothingBack() {
        SandboxProperties off = new SandboxProperties(0, 0, "", 8, Duration.ofSeconds(10));

        assertThat(off.memoryForJobs(4096)).isEqualTo(4096);
    }

    @Test
    void aPoolThatLeavesJobsTooLittleMemoryStopsStartUpNamingTheProperties() {
        SandboxProperties pool = new SandboxProperties(8, 8, "img", 64, Duration.ofSeconds(10));

        assertThatThrownBy(() -> pool.memoryForJobs(1024))
                .hasMessageContaining("pier.host-agent.sandboxes").hasMessageContaining("total-memory-mb");
    }

    @Test
    void badValuesNameTheirProperty() {
        assertThatThrownBy(() -> new SandboxProperties(-1, 0, "img", 8, Duration.ofSeconds(10)))
                .hasMessageContaining("pier.host-agent.sandboxes.size");
        assertThatThrownBy(() -> new SandboxProperties(0, 1, " ", 8, Duration.ofSeconds(10)))
                .hasMessageContaining("pier.host-agent.sandboxes.image");
        assertThatThrownBy(() -> new SandboxProperties(1, 0, "img", 2, Duration.ofSeconds(10)))
                .hasMessageContaining("pier.host-agent.sandboxes.memory-mb");
        assertThatThrownBy(() -> new SandboxProperties(1, 0, "img", 8, Duration.ofMillis(10)))
                .hasMessageContaining("pier.host-agent.sandboxes.interval");
        assertThatThrownBy(() -> new SandboxProperties(1, 17, "img", 8, Duration.ofSeconds(10)))
                .hasMessageContaining("pier.host-agent.sandboxes.web-size");
    }
}
