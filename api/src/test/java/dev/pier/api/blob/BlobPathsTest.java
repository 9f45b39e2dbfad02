package dev.pier.api.blob;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class BlobPathsTest {
    @ParameterizedTest
    @ValueSource(strings = {"slug.tgz", "apps/a1/slugs/r-1.tgz", "cache/app_1/cache.tgz", "a/b-c/d.e.f"})
    void acceptsSanePaths(String path) {
        assertThat(BlobPaths.problem(path)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/etc/passwd", "../x", "a/../b", "a/..", "./a", "a/./b", "a//b", "a/", "a\\b",
            "..\\x", "a\u0000b", "a\nb", "a\u007fb", "%2e%2e/x", "a/%2F", "\u2025/x", "ａ", "a b", ".hidden", "a/.tmp-x",
            "a?b", "a#b", "a:b"})
    void refusesHostilePaths(String path) {
        assertThat(BlobPaths.problem(path)).isPresent();
    }

    @Test
    void boundsLengthAndDepth() {
        assertThat(BlobPaths.problem("a".repeat(BlobPaths.MAX_LENGTH + 1))).contains("path is longer than 512 characters");
        assertThat(BlobPaths.problem("a/".repeat(BlobPaths.MAX_DEPTH) + "a")).contains("path has more than 16 segments");
        assertThat(BlobPaths.problem("a/".repeat(BlobPaths.MAX_DEPTH - 1) + "a")).isEmpty();
        assertThat(BlobPaths.problem("b".repeat(129))).isPresent();
    }
}
