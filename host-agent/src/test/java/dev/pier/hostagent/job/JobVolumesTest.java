package dev.pier.hostagent.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.host.HostVolume;
import dev.pier.api.host.JobSpec;
import dev.pier.api.host.VolumeMount;
import dev.pier.hostagent.runtime.VolumeInfo;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A volume's labels, as made for a job and as read back by a restarted agent (pure). */
class JobVolumesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final JobSpec DB = JobSpec.of("d1", "shop", "db", "img", List.of("pg"));

    @Test
    void aVolumeMadeForAJobIsReadBackAsMade() {
        VolumeMount mount = new VolumeMount("shop.db.0", "/data", 10);
        Map<String, String> labels = JobVolumes.labels(DB, mount, T0);

        HostVolume read = JobVolumes.hostVolume("h1", new VolumeInfo("shop.db.0", labels));

        assertThat(read).isEqualTo(new HostVolume("shop.db.0", "h1", "shop", "db", "/data", 10, T0, null));
    }

    @Test
    void aVolumeWithoutASizeHasNoSizeLabel() {
        Map<String, String> labels = JobVolumes.labels(DB, new VolumeMount("shop.db.0", "/data"), T0);

        assertThat(labels).doesNotContainKey(JobVolumes.VOLUME_SIZE_MB);
        assertThat(JobVolumes.hostVolume("h1", new VolumeInfo("shop.db.0", labels)).sizeMb()).isNull();
    }

    @Test
    void labelsThatCannotBeReadLeaveWhatTheySayUnknown() {
        Map<String, String> labels = new HashMap<>(JobVolumes.labels(DB, new VolumeMount("v", "/data", 10), T0));
        labels.put(JobVolumes.VOLUME_CREATED, "yesterday");

        HostVolume badDate = JobVolumes.hostVolume("h1", new VolumeInfo("v", labels));
        labels.put(JobVolumes.VOLUME_SIZE_MB, "ten");
        HostVolume badSize = JobVolumes.hostVolume("h1", new VolumeInfo("v", labels));
        HostVolume bare = JobVolumes.hostVolume("h1", new VolumeInfo("v", Map.of()));

        assertThat(badDate.sizeMb()).isEqualTo(10);
        assertThat(badDate.createdAt()).isNull();
        assertThat(badSize.sizeMb()).isNull();
        assertThat(badSize.app()).isEqualTo("shop");
        assertThat(bare).isEqualTo(new HostVolume("v", "h1", null, null, null, null, null, null));
    }
}
