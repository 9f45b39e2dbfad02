package dev.pier.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class NettyDefaultsTest {
    @Test
    void leakDetectionIsOffUnlessTheOperatorSetALevel() {
        Properties none = new Properties();
        NettyDefaults.applyTo(none);
        assertThat(none.getProperty("io.netty.leakDetection.level")).isEqualTo("disabled");

        Properties chosen = new Properties();
        chosen.setProperty("io.netty.leakDetection.level", "paranoid");
        NettyDefaults.applyTo(chosen);
        assertThat(chosen.getProperty("io.netty.leakDetection.level")).isEqualTo("paranoid");
    }
}
