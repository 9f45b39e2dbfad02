package dev.pier.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.host.ClusterView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostChoiceTest {
    private static ClusterView.Host host(String id, long free, boolean lost) {
        return new ClusterView.Host(id, "http://" + id, lost, 4096, 4096 - free, Instant.EPOCH, List.of());
    }

    private static final ClusterView VIEW = new ClusterView("h1", Instant.EPOCH, List.of(host("h1", 3000, false),
            host("h2", 2000, false), host("h3", 1500, false), host("h4", 512, false), host("h5", 4000, true)));

    /** Hosts that answer as given (missing: started); records what was tried and every move. */
    private static final class Agents implements HostChoice.Attempts {
        final Map<String, HostChoice.Answer> answers;
        final List<String> tried = new ArrayList<>();
        final List<String> moves = new ArrayList<>();

        Agents(Map<String, HostChoice.Answer> answers) {
            this.answers = answers;
        }

        @Override
        public HostChoice.Answer start(ClusterView.Host host) {
            tried.add(host.id());
            return answers.getOrDefault(host.id(), HostChoice.Answer.STARTED);
        }

        @Override
        public void moved(ClusterView.Host from, String reason, ClusterView.Host to) {
            moves.add(from.id() + "->" + to.id());
        }
    }

    @Test
    void theLiveHostWithTheMostFreeMemoryThatFitsIsPicked() {
        assertThat(HostChoice.pick(VIEW, 1024)).map(ClusterView.Host::id).hasValue("h1");
        assertThat(HostChoice.pick(VIEW, 3500)).isEmpty(); // only the lost host has room
        assertThat(HostChoice.pick(VIEW, 1024, java.util.Set.of("h1"))).map(ClusterView.Host::id).hasValue("h2");
    }

    @Test
    void aHostThatTurnsOutFullSendsTheJobToTheNextThatFits() {
        Agents agents = new Agents(Map.of("h1", HostChoice.Answer.refused("h1 is full", true),
                "h2", HostChoice.Answer.refused("h2 is unreachable", true)));
        HostChoice.Outcome outcome = HostChoice.place(VIEW, 1024, HostChoice.pick(VIEW, 1024).orElseThrow(), agents);
        assertThat(outcome.started()).isTrue();
        assertThat(outcome.host().id()).isEqualTo("h3");
        assertThat(outcome.refusals()).containsExactly("h1 is full", "h2 is unreachable");
        assertThat(agents.tried).containsExactly("h1", "h2", "h3");
        assertThat(agents.moves).containsExactly("h1->h2", "h2->h3");
    }

    @Test
    void whenEveryHostThatFitsRefusesTheJobFailsWithEachReasonAndNoOtherHostIsTried() {
        Agents agents = new Agents(Map.of("h1", HostChoice.Answer.refused("h1 is full", true),
                "h2", HostChoice.Answer.refused("h2 is full", true), "h3", HostChoice.Answer.refused("h3 is full", true)));
        HostChoice.Outcome outcome = HostChoice.place(VIEW, 1024, host("h1", 3000, false), agents);
        assertThat(outcome.started()).isFalse();
        assertThat(outcome.refusals()).containsExactly("h1 is full", "h2 is full", "h3 is full");
        assertThat(agents.tried).containsExactly("h1", "h2", "h3"); // not h4 (too small) nor h5 (lost)
    }

    @Test
    void aRefusalThatIsTheJobsOwnFaultIsNotTriedElsewhere() {
        Agents agents = new Agents(Map.of("h1", HostChoice.Answer.refused("volume data is in use", false)));
        HostChoice.Outcome outcome = HostChoice.place(VIEW, 1024, host("h1", 3000, false), agents);
        assertThat(outcome.started()).isFalse();
        assertThat(outcome.refusals()).containsExactly("volume data is in use");
        assertThat(agents.tried).containsExactly("h1");
        assertThat(agents.moves).isEmpty();
    }
}
