package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pier.router.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code pier.router.dead-instance-timeout}: its default, its unit, and the values refused naming it. */
class RouterPropertiesTest {
    private static RouterProperties read(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--pier.router.cluster-key=k";
        System.arraycopy(args, 0, all, 1, args.length);
        return RouterProperties.from(Settings.of(all, Map.of(), Map.of(), RouterProperties.ENVIRONMENT_ALIASES));
    }

    @Test
    void aDeadInstanceIsFoundOutAfterASecondUnlessTheOperatorSaysOtherwise() {
        assertThat(read().deadInstanceTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(read().connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(read("--pier.router.dead-instance-timeout=1500ms").deadInstanceTimeout())
                .isEqualTo(Duration.ofMillis(1500));
        assertThat(read("--pier.router.dead-instance-timeout=0").deadInstanceTimeout()).isZero();
    }

    @Test
    void aDeadInstanceTimeoutOutOfRangeIsRefusedNamingIt() {
        assertThatThrownBy(() -> read("--pier.router.dead-instance-timeout=-1s"))
                .hasMessage("pier.router.dead-instance-timeout: -1000ms is out of range: it must be from 0 (the kernel's"
                        + " own) to 1h");
        assertThatThrownBy(() -> read("--pier.router.dead-instance-timeout=2h"))
                .hasMessageStartingWith("pier.router.dead-instance-timeout: 7200000ms is out of range");
        assertThatThrownBy(() -> read("--pier.router.dead-instance-timeout=soon"))
                .hasMessage("pier.router.dead-instance-timeout: 'soon' is not a duration such as 500ms, 5s, 2m or PT5S");
    }
}
