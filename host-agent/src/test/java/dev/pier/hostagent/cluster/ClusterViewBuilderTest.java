package dev.pier.hostagent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.JobState;
import dev.pier.api.host.ClusterView;
import dev.pier.api.host.HostInfo;
import dev.pier.api.host.HostJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterViewBuilderTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(5);

    private static HostJob job(String id, String host, JobState state) {
        return new HostJob(id, host, "shop", null, "web", "img", state, null, null, null, 64, T, T);
    }

    private static ClusterView.Host host(ClusterView view, String id) {
        return view.hosts().stream().filter(h -> h.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void keepsTheLatestLegalStateOfEachJobAndMarksLostHosts() {
        ClusterViewBuilder builder = new ClusterViewBuilder(T);
        builder.connected("a", "http://a", T);
        builder.host(new HostInfo("a", "http://a", 1024, 64, 1), T);
        builder.synced("a", T);
        builder.job("a", job("j1", "a", JobState.STARTING), T);
        builder.job("a", job("j1", "a", JobState.UP), T);
        builder.job("a", job("j1", "a", JobState.STARTING), T);
        builder.connected("b", "http://b", T);
        builder.job("b", job("j2", "b", JobState.UP), T);
        builder.synced("b", T);
        builder.lost("b");

        ClusterView view = builder.view("a", T);

        assertThat(view.hosts()).extracting(ClusterView.Host::id).containsExactly("a", "b");
        assertThat(view.hosts().get(0).jobs()).singleElement().extracting(HostJob::state).isEqualTo(JobState.UP);
        assertThat(view.hosts().get(0).totalMemoryMb()).isEqualTo(1024);
        assertThat(view.hosts().get(1).lost()).isTrue();
        assertThat(view.hosts().get(1).jobs()).extracting(HostJob::id).containsExactly("j2");
    }

    @Test
    void aHostsVolumesAreInTheViewAndALostHostKeepsThemAsLastSeenAlsoInANewLeadersView() {
        ClusterViewBuilder builder = new ClusterViewBuilder(T);
        builder.connected("a", "http://a", T);
        builder.host(new HostInfo("a", "http://a", 1024, 64, 1, java.util.List.of(
                new dev.pier.api.host.HostVolume("shop.db.0", "a", "shop", "db", "/data", 64, T, "j1"))), T);
        builder.synced("a", T);
        builder.lost("a");
        ClusterView view = builder.view("a", T);
        assertThat(host(view, "a").volumes()).extracting(dev.pier.api.host.HostVolume::name)
                .containsExactly("shop.db.0");

        ClusterViewBuilder next = new ClusterViewBuilder(T.plusSeconds(10));
        next.seed(view);
        assertThat(host(next.view("b", T.plusSeconds(10)), "a").volumes())
                .extracting(dev.pier.api.host.HostVolume::name).containsExactly("shop.db.0");
    }

    /** Regression: a job vanished from the view while a stream was reopened, and the scheduler ended it. */
    @Test
    void aReopenedStreamKeepsTheHostsJobsUntilItsSnapshotIsComplete() {
        ClusterViewBuilder builder = new ClusterViewBuilder(T);
        builder.connected("a", "http://a", T);
        builder.job("a", job("j1", "a", JobState.UP), T);
        builder.job("a", job("j2", "a", JobState.UP), T);
        builder.synced("a", T);

        builder.connected("a", "http://a", T.plusSeconds(9));
        assertThat(host(builder.view("a", T), "a").jobs()).as("between the stream's opening and its snapshot")
                .extracting(HostJob::id).containsExactly("j1", "j2");
        builder.job("a", job("j2", "a", JobState.CRASHED), T.plusSeconds(9));
        assertThat(host(builder.view("a", T), "a").jobs()).extracting(HostJob::state)
                .containsExactly(JobState.UP, JobState.UP);

        builder.synced("a", T.plusSeconds(9));
        assertThat(host(builder.view("a", T), "a").jobs()).as("the snapshot says what the host has")
                .singleElement().isEqualTo(job("j2", "a", JobState.CRASHED));
    }

    @Test
    void aSeededHostKeepsItsJobsUntilItsOwnSnapshot() {
        ClusterViewBuilder old = new ClusterViewBuilder(T);
        old.connected("a", "http://a", T);
        old.job("a", job("j1", "a", JobState.UP), T);
        old.synced("a", T);

        ClusterViewBuilder next = new ClusterViewBuilder(T.plusSeconds(60));
        next.seed(old.view("a", T));
        next.connected("a", "http://a", T.plusSeconds(61));
        assertThat(host(next.view("b", T), "a").jobs()).extracting(HostJob::id).containsExactly("j1");
        next.synced("a", T.plusSeconds(61));
        assertThat(host(next.view("b", T), "a").jobs()).isEmpty();
    }

    /** Regression: a new leader declared every host lost that had not registered again within 160 ms. */
    @Test
    void aHostIsLostOnlyAfterDiscoveryHasNotListedItForALeasePeriod() {
        ClusterViewBuilder builder = new ClusterViewBuilder(T);
        builder.listed(Map.of("a", "http://a"), T);
        builder.connected("a", "http://a", T);
        builder.synced("a", T);
        builder.connected("b", "http://b", T);
        builder.synced("b", T);

        builder.listed(Map.of("a", "http://a"), T.plusSeconds(1));
        assertThat(builder.toDeclareLost(T.plusSeconds(5), LEASE)).isEmpty();
        builder.listed(Map.of("a", "http://a", "b", "http://b"), T.plusSeconds(5));
        assertThat(builder.toDeclareLost(T.plusSeconds(30), LEASE)).as("b registered again in time").isEmpty();

        builder.listed(Map.of("a", "http://a"), T.plusSeconds(31));
        builder.listed(Map.of("a", "http://a"), T.plusSeconds(32));
        assertThat(builder.toDeclareLost(T.plusSeconds(35), LEASE)).isEmpty();
        assertThat(builder.toDeclareLost(T.plusSeconds(36), LEASE)).containsExactly("b");
        builder.lost("b");
        assertThat(builder.toDeclareLost(T.plusSeconds(40), LEASE)).as("declared once").isEmpty();

        builder.connected("b", "http://b", T.plusSeconds(50));
        assertThat(builder.isLost("b")).as("its agent is back").isFalse();
    }

    /** Issue #19: a machine that lost its power is lost once unlisted; one that answers keeps its whole lease. */
    @Test
    void anUnlistedHostWhoseMachineDoesNotAnswerIsLostAtOnceAndOneThatAnswersOnlyAfterALease() {
        ClusterViewBuilder builder = new ClusterViewBuilder(T);
        builder.listed(Map.of("a", "http://a", "b", "http://b", "c", "http://c"), T);
        for (String id : List.of("a", "b", "c")) {
            builder.connected(id, "http://" + id, T);
            builder.synced(id, T);
        }
        assertThat(builder.missing()).isEmpty();
        assertThat(builder.toDeclareLost(T.plusSeconds(1), LEASE, Set.of("c")))
                .as("c does not answer, but discovery still lists it: its lease stands").isEmpty();

        builder.listed(Map.of("a", "http://a"), T.plusSeconds(10));
        assertThat(builder.missing()).containsExactlyInAnyOrderEntriesOf(Map.of("b", "http://b", "c", "http://c"));
        assertThat(builder.toDeclareLost(T.plusSeconds(10), LEASE, Set.of("c"))).containsExactly("c");
        builder.lost("c");
        assertThat(builder.missing()).as("a lost host is probed no more").containsOnlyKeys("b");
        assertThat(builder.toDeclareLost(T.plusSeconds(14), LEASE, Set.of("c"))).as("b answers: its lease").isEmpty();
        assertThat(builder.toDeclareLost(T.plusSeconds(15), LEASE, Set.of())).containsExactly("b");
    }

    @Test
    void aNewLeadersViewIsGatheringUntilEveryKnownHostSentItsJobs() {
        ClusterViewBuilder old = new ClusterViewBuilder(T);
        old.connected("gone", "http://gone", T);
        old.synced("gone", T);
        old.lost("gone");
        old.connected("a", "http://a", T);
        old.synced("a", T);

        Instant elected = T.plusSeconds(100);
        ClusterViewBuilder builder = new ClusterViewBuilder(elected);
        builder.seed(old.view("x", T));
        builder.listed(Map.of("a", "http://a", "b", "http://b"), elected);
        Duration patience = LEASE.multipliedBy(2);

        assertThat(builder.gathering(elected, patience)).as("a lost host is not waited for").containsExactly("a", "b");
        assertThat(builder.view("a", elected).hosts()).as("b is only listed yet")
                .extracting(ClusterView.Host::id).containsExactly("a", "gone");
        builder.connected("b", "http://b", elected.plusSeconds(1));
        builder.synced("b", elected.plusSeconds(1));
        assertThat(builder.gathering(elected.plusSeconds(1), patience)).containsExactly("a");
        assertThat(builder.gathering(elected.plusSeconds(10), patience)).as("patience ran out").isEmpty();
        builder.connected("a", "http://a", elected.plusSeconds(2));
        builder.synced("a", elected.plusSeconds(2));
        assertThat(builder.gathering(elected.plusSeconds(2), patience)).isEmpty();
    }
}
