package dev.pier.gitreceiver.push;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AppUrlTest {

    @Test
    void theUrlLeavesOutPort80AndReasonsFitOnOneLine() {
        assertThat(AppUrl.of("shop.pier.localhost", 8080)).isEqualTo("http://shop.pier.localhost:8080/");
        assertThat(AppUrl.of("shop.example.com", 80)).isEqualTo("http://shop.example.com/");
        assertThat(DeployHook.oneLine("a\nb" + "c".repeat(300))).hasSize(DeployHook.MAX_REASON).startsWith("a b");
    }
}
