package dev.pier.api.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.api.ProcessType;
import dev.pier.api.ProcessVolume;
import java.util.List;
import org.junit.jupiter.api.Test;

class VolumeNamesTest {

    @Test
    void aSlotsVolumesAreNamedByAppTypeSlotAndIndexAndReadBack() {
        assertThat(VolumeNames.of("shop", "db", 0, 0)).isEqualTo("shop.db.0");
        assertThat(VolumeNames.of("shop", "db", 2, 1)).isEqualTo("shop.db.2.1");
        assertThat(VolumeNames.owner("shop.db.2.1")).contains(new VolumeNames.Owner("shop", "db", 2, 1));
        assertThat(VolumeNames.owner("my-app.worker_x.12")).contains(new VolumeNames.Owner("my-app", "worker_x", 12, 0));
        assertThat(VolumeNames.owner("hand-made")).isEmpty();
        assertThat(VolumeNames.owner("shop.db")).isEmpty();
    }

    @Test
    void namesAreValidForTheAgent() {
        assertThat(VolumeNames.problemWithName(VolumeNames.of("a", "b", 99, 7))).isEmpty();
        assertThat(VolumeNames.problemWithName("../etc")).isPresent();
        assertThat(VolumeNames.problemWithName("Upper")).isPresent();
    }

    @Test
    void aSlotGetsOneMountPerVolumeOfItsTypeAndNoneWithoutASlot() {
        ProcessType db = new ProcessType("postgres", 5432, null,
                List.of(new ProcessVolume("/data", 512), new ProcessVolume("/wal", null)), null);
        assertThat(JobSpecs.mounts("shop", "db", db, 1)).containsExactly(
                new VolumeMount("shop.db.1", "/data", 512), new VolumeMount("shop.db.1.1", "/wal", null));
        assertThat(JobSpecs.mounts("shop", "db", db, null)).isEmpty();
        assertThat(JobSpecs.mounts("shop", "web", ProcessType.web("x"), 0)).isEmpty();
    }

    @Test
    void mountPathsMustBeAbsoluteWithoutDotDot() {
        assertThat(ProcessVolume.problemWithPath("/var/lib/data")).isEmpty();
        assertThat(ProcessVolume.problemWithPath("data")).isPresent();
        assertThat(ProcessVolume.problemWithPath("/")).isPresent();
        assertThat(ProcessVolume.problemWithPath("/a/../etc")).isPresent();
        assertThat(new ProcessVolume("/data", 0).problem()).isPresent();
    }
}
