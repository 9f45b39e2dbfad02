package dev.pier.hostagent.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.JobState;
import dev.pier.api.host.ClusterView;
import dev.pier.api.host.HostInfo;
import dev.pier.api.host.HostJob;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ClusterViewBuilderTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static HostJob job(String id, String host, JobState state) {
        return new HostJob(id, host, "shop", null, "web", "img", state, null, null, null, 64, T, T);
    }

    @Test
    void keepsTheLatestLegalStateOfEachJobAndMarksLostHosts() {
        ClusterViewBuilder builder = new ClusterViewBuilder();
        builder.connected("a", "http://a", T);
        builder.host(new HostInfo("a", "http://a", 1024, 64, 1), T);
        builder.job("a", job("j1", "a", JobState.STARTING), T);
        builder.job("a", job("j1", "a", JobState.UP), T);
        builder.job("a", job("j1", "a", JobState.STARTING), T);
        builder.connected("b", "http://b", T);
        builder.job("b", job("j2", "b", JobState.UP), T);
        builder.lost("b");

        ClusterView view = builder.view("a", T);

        assertThat(view.hosts()).extracting(ClusterView.Host::id).containsExactly("a", "b");
        assertThat(view.hosts().get(0).jobs()).singleElement().extracting(HostJob::state).isEqualTo(JobState.UP);
        assertThat(view.hosts().get(0).totalMemoryMb()).isEqualTo(1024);
        assertThat(view.hosts().get(1).lost()).isTrue();
        assertThat(view.hosts().get(1).jobs()).extracting(HostJob::id).containsExactly("j2");

        ClusterViewBuilder next = new ClusterViewBuilder();
        next.seed(view);
        next.connected("a", "http://a", T);
        assertThat(next.view("a", T).hosts().get(0).jobs()).isEmpty();
        assertThat(next.view("a", T).hosts().get(1).jobs()).hasSize(1);
    }
}
