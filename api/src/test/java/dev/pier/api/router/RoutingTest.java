package dev.pier.api.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingTest {
    private static final Set<String> DOMAINS = Set.of("shop.pier.localhost", "shop.example.com");

    private static RouterAnswer router(String id, List<String> domains, String... instances) {
        return RouterAnswer.of(new RoutedService(id, "shop-web", domains, List.of(instances)));
    }

    @Test
    void aNewJobIsRoutedOnlyWhenEveryRouterRoutesToIt() {
        Routing.Verdict verdict = Routing.judge(DOMAINS, List.of(
                router("r1", List.copyOf(DOMAINS), "new1", "new2"),
                router("r2", List.copyOf(DOMAINS), "new1")), Set.of("new1", "new2"), Set.of("new1", "new2"));
        assertThat(verdict.routed()).containsExactly("new1");
        assertThat(verdict.waiting()).isEqualTo("router r2 does not route to new2 yet");
        assertThat(verdict.settled(Set.of("new1", "new2"))).isFalse();
    }

    @Test
    void aRouterThatHasNotReadTheAppsRoutesYetRoutesNothingOfIt() {
        Routing.Verdict verdict = Routing.judge(DOMAINS, List.of(router("r1", List.of("shop.pier.localhost"), "new1")),
                Set.of("new1"), Set.of("new1"));
        assertThat(verdict.routed()).isEmpty();
        assertThat(verdict.waiting()).isEqualTo("router r1 does not route shop.example.com yet");
    }

    @Test
    void jobsOfOtherReleasesStillRoutedAreStale() {
        Routing.Verdict verdict = Routing.judge(DOMAINS, List.of(router("r1", List.copyOf(DOMAINS), "new1", "old1")),
                Set.of("new1"), Set.of("new1", "new2"));
        assertThat(verdict.routed()).containsExactly("new1");
        assertThat(verdict.stale()).containsExactly("old1");
        assertThat(verdict.waiting()).isEqualTo("routers still send requests to old1");
        assertThat(verdict.settled(Set.of("new1"))).isFalse();
    }

    @Test
    void aRouterThatDoesNotAnswerConfirmsNothing() {
        Routing.Verdict verdict = Routing.judge(DOMAINS, List.of(router("r1", List.copyOf(DOMAINS), "new1"),
                RouterAnswer.failed("r2", "connection refused")), Set.of("new1"), Set.of("new1"));
        assertThat(verdict.routed()).isEmpty();
        assertThat(verdict.waiting()).isEqualTo("router r2 did not answer (connection refused)");
    }

    @Test
    void noDomainsOrNoRoutersMeansNothingToWaitFor() {
        assertThat(Routing.judge(Set.of(), List.of(router("r1", List.of())), Set.of("new1"), Set.of("new1"))
                .settled(Set.of("new1"))).isTrue();
        assertThat(Routing.judge(DOMAINS, List.of(), Set.of("new1"), Set.of("new1")).settled(Set.of("new1"))).isTrue();
    }

    @Test
    void settledWhenEveryWantedJobIsRoutedAndNothingElse() {
        Routing.Verdict verdict = Routing.judge(DOMAINS, List.of(router("r1", List.copyOf(DOMAINS), "new1", "new2"),
                router("r2", List.copyOf(DOMAINS), "new2", "new1")), Set.of("new1", "new2"), Set.of("new1", "new2"));
        assertThat(verdict.settled(Set.of("new1", "new2"))).isTrue();
        assertThat(verdict.waiting()).isEmpty();
    }
}
