package dev.pier.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MachineArgumentsTest {

    @Test
    void aPrefixedArgumentGoesToItsApplicationAndAnyOtherToBothInOrder() {
        MachineArguments arguments = MachineArguments.parse("--pier.cluster-key=k", "--discoverd.server.port=8310",
                "--host-agent.server.port=8320", "--host-agent.pier.host-agent.host-id=m1", "--logging.level.root=WARN");
        assertThat(arguments.discoverd()).containsExactly("--pier.cluster-key=k", "--server.port=8310",
                "--logging.level.root=WARN");
        assertThat(arguments.hostAgent()).containsExactly("--pier.cluster-key=k", "--server.port=8320",
                "--pier.host-agent.host-id=m1", "--logging.level.root=WARN");
    }

    @Test
    void aPropertyOfTheHostAgentNamedLikeDiscoverdsStaysTheHostAgents() {
        // only the leading prefix routes: the host agent's pier.host-agent.discoverd-url is the host agent's own
        MachineArguments arguments = MachineArguments.parse("--host-agent.pier.host-agent.discoverd-url=http://a:1");
        assertThat(arguments.discoverd()).isEmpty();
        assertThat(arguments.hostAgent()).containsExactly("--pier.host-agent.discoverd-url=http://a:1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--discoverd.", "--discoverd.=8310", "--host-agent..server.port=1"})
    void aPrefixWithoutAPropertyIsRefusedByName(String arg) {
        assertThatThrownBy(() -> MachineArguments.parse("--pier.cluster-key=k", arg))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + arg + "\" names no property")
                .hasMessageMatching(".*\\(for example --(discoverd|host-agent)\\.server\\.port=\\d+\\)");
    }

    @Test
    void aSchedulerArgumentMakesTheMachineRunOneAndIsItsAlone() {
        MachineArguments without = MachineArguments.parse("--pier.cluster-key=k", "--discoverd.server.port=8310");
        assertThat(without.withScheduler()).isFalse();
        MachineArguments with = MachineArguments.parse("--pier.cluster-key=k", "--scheduler.server.port=8330",
                "--scheduler.pier.scheduler.id=scheduler-3", "--host-agent.server.port=8320");
        assertThat(with.withScheduler()).isTrue();
        assertThat(with.scheduler()).containsExactly("--pier.cluster-key=k", "--server.port=8330",
                "--pier.scheduler.id=scheduler-3");
        assertThat(with.hostAgent()).containsExactly("--pier.cluster-key=k", "--server.port=8320");
        assertThat(with.discoverd()).containsExactly("--pier.cluster-key=k");
    }
}
