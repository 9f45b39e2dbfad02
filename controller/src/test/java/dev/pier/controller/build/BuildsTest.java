package dev.pier.controller.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class BuildsTest {
    @Test
    void theBuildCacheBelongsToTheAppNotToItsName() {
        UUID deleted = UUID.randomUUID();
        UUID reborn = UUID.randomUUID();
        assertThat(Builds.cachePath("shop", deleted)).isEqualTo("caches/shop/" + deleted + ".tar.zst")
                .isNotEqualTo(Builds.cachePath("shop", reborn));
        assertThat(Builds.cachePath("shop", deleted)).as("the same app keeps its cache")
                .isEqualTo(Builds.cachePath("shop", deleted));
    }
}
