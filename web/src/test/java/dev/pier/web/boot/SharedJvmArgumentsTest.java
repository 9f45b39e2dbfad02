package dev.pier.web.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedJvmArgumentsTest {

    @Test
    void aPrefixedArgumentIsItsApplicationsAloneAndAnyOtherGoesToAll() {
        Map<String, List<String>> split = SharedJvmArguments.split(List.of("discoverd", "host-agent"),
                "--discoverd.server.port=8310", "--pier.cluster-key=k", "--host-agent.server.port=8320",
                "--host-agent.pier.host.id=h1");

        assertThat(split).containsExactly(
                Map.entry("discoverd", List.of("--server.port=8310", "--pier.cluster-key=k")),
                Map.entry("host-agent", List.of("--pier.cluster-key=k", "--server.port=8320", "--pier.host.id=h1")));
    }

    @Test
    void anArgumentThatNamesAnApplicationButNoPropertyIsRefusedNamingIt() {
        assertThatThrownBy(() -> SharedJvmArguments.split(List.of("router"), "--router.=8080"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"--router.=8080\" names no property after --router. (for example --router.server.port=8080)");
    }
}
