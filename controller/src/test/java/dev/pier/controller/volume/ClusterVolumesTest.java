package dev.pier.controller.volume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.Volume;
import dev.pier.api.host.ClusterView;
import dev.pier.api.host.HostVolume;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterVolumesTest {
    private static final Instant T0 = Instant.parse("2026-12-06T00:00:00Z");

    @Test
    void everyHostsVolumesByAppAndNameALostHostsWithNoJob() {
        ClusterView view = new ClusterView("h1", T0, List.of(
                new ClusterView.Host("h1", "http://h1", false, 1024, 0, T0, List.of(), List.of(
                        new HostVolume("shop.db.1", "h1", "shop", "db", "/data", 100, T0, "j1"),
                        new HostVolume("blog.db.0", "h1", "blog", "db", "/data", null, T0, null))),
                new ClusterView.Host("h2", "http://h2", true, 1024, 0, T0, List.of(), List.of(
                        new HostVolume("shop.db.0", "h2", "shop", "db", "/data", 100, T0, "j0")))));

        List<Volume> all = ClusterVolumes.of(view, null);
        assertThat(all).extracting(Volume::name).containsExactly("blog.db.0", "shop.db.0", "shop.db.1");
        assertThat(all.get(1)).isEqualTo(new Volume("shop.db.0", "h2", true, "shop", "db", "/data", 100, T0, null));
        assertThat(all.get(2).jobId()).isEqualTo("j1");
        assertThat(ClusterVolumes.of(view, "blog")).extracting(Volume::name).containsExactly("blog.db.0");
    }
}
