package dev.pier.discoverd.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.discoverd.Instance;
import dev.pier.api.discoverd.ServiceEvent;
import dev.pier.api.discoverd.ServiceEvent.Kind;
import dev.pier.discoverd.registry.Keys;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceViewTest {
    private final ServiceView view = new ServiceView("web");

    private static Instance instance(String id, String address, long index) {
        return new Instance("web", id, address, Map.of(), index);
    }

    @Test
    void instancesGoUpUpdateAndDownOnce() {
        assertThat(view.put(Keys.Kind.INSTANCE, instance("a", "h:1", 5), 5)).extracting(ServiceEvent::kind)
                .containsExactly(Kind.UP);
        assertThat(view.put(Keys.Kind.INSTANCE, instance("a", "h:1", 5), 6)).isEmpty();
        assertThat(view.put(Keys.Kind.INSTANCE, instance("a", "h:2", 5), 7)).extracting(ServiceEvent::kind)
                .containsExactly(Kind.UPDATE);
        assertThat(view.delete(Keys.Kind.INSTANCE, "a", 8)).singleElement()
                .satisfies(e -> assertThat(e.instance().address()).isEqualTo("h:2"));
        assertThat(view.delete(Keys.Kind.INSTANCE, "a", 9)).isEmpty();
        assertThat(view.isEmpty()).isTrue();
    }

    @Test
    void theOldestCandidateLeadsAndChangesAreLeaderEvents() {
        assertThat(view.put(Keys.Kind.CANDIDATE, instance("first", "h:1", 10), 10)).singleElement()
                .satisfies(e -> assertThat(e.leader().id()).isEqualTo("first"));
        assertThat(view.put(Keys.Kind.CANDIDATE, instance("second", "h:2", 11), 11)).isEmpty();
        assertThat(view.delete(Keys.Kind.CANDIDATE, "second", 12)).isEmpty();
        view.put(Keys.Kind.CANDIDATE, instance("second", "h:2", 13), 13);
        assertThat(view.delete(Keys.Kind.CANDIDATE, "first", 14)).singleElement()
                .satisfies(e -> assertThat(e.leader().id()).isEqualTo("second"));
        assertThat(view.delete(Keys.Kind.CANDIDATE, "second", 15)).singleElement()
                .satisfies(e -> {
                    assertThat(e.kind()).isEqualTo(Kind.LEADER);
                    assertThat(e.leader()).isNull();
                });
    }

    @Test
    void aResyncAnswersTheDifferences() {
        view.put(Keys.Kind.INSTANCE, instance("gone", "h:1", 1), 1);
        view.put(Keys.Kind.INSTANCE, instance("same", "h:2", 2), 2);
        view.put(Keys.Kind.INSTANCE, instance("moved", "h:3", 3), 3);
        view.put(Keys.Kind.CANDIDATE, instance("old-leader", "h:9", 4), 4);

        List<ServiceEvent> events = view.replace(
                List.of(instance("same", "h:2", 2), instance("moved", "h:4", 3), instance("new", "h:5", 20)),
                List.of(instance("new-leader", "h:8", 21)), 30);

        assertThat(events).extracting(e -> e.kind() + ":" + (e.instance() != null ? e.instance().id() : e.leader().id()))
                .containsExactly("DOWN:gone", "UPDATE:moved", "UP:new", "LEADER:new-leader");
        assertThat(events).allMatch(e -> e.revision() == 30);
        ServiceEvent snapshot = view.snapshot(30);
        assertThat(snapshot.instances()).extracting(Instance::id).containsExactly("same", "moved", "new");
        assertThat(snapshot.leader().id()).isEqualTo("new-leader");
    }

    /** Regression (#17, 3): a resync after a long etcd outage sent every instance down, and routers dropped them. */
    @Test
    void anInstanceMissingFromAResyncIsHeldForItsLeaseAndGoesDownOnlyIfNotBackByThen() {
        java.time.Instant t = java.time.Instant.parse("2026-01-01T00:00:00Z");
        view.put(Keys.Kind.INSTANCE, instance("back", "h:1", 1), 1);
        view.put(Keys.Kind.INSTANCE, instance("dead", "h:2", 2), 2);

        List<ServiceEvent> resync = view.replace(List.of(), List.of(), 10,
                Map.of("back", t.plusSeconds(5), "dead", t.plusSeconds(5)));

        assertThat(resync).as("nothing leaves at the resync").isEmpty();
        assertThat(view.snapshot(10).instances()).extracting(Instance::id).containsExactly("back", "dead");
        assertThat(view.put(Keys.Kind.INSTANCE, instance("back", "h:1", 11), 11)).extracting(ServiceEvent::kind)
                .as("registered again under a new lease").containsExactly(Kind.UPDATE);
        assertThat(view.expire(t.plusSeconds(4), 12)).isEmpty();
        assertThat(view.expire(t.plusSeconds(5), 12)).extracting(e -> e.kind() + ":" + e.instance().id())
                .containsExactly("DOWN:dead");
        assertThat(view.held()).isEmpty();
        assertThat(view.snapshot(12).instances()).extracting(Instance::id).containsExactly("back");
    }
}
