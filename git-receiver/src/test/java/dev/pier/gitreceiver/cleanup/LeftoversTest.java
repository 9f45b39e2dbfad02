package dev.pier.gitreceiver.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LeftoversTest {
    private static final UUID LIVE = UUID.fromString("11111111-2222-3333-4444-555555555555");
    private static final UUID GONE = UUID.fromString("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
    private static final Map<String, UUID> APPS = Map.of("shop", LIVE, "my-shop-2", LIVE);

    @Test
    void repositoriesOfAppsThatAreNotLiveAreLeftoversAndOtherDirectoriesAreNotTheirsToJudge() {
        assertThat(Leftovers.repositories(List.of(
                "shop-" + LIVE + ".git",          // the live app's
                "shop-" + GONE + ".git",          // a deleted app of the same name
                "ghost-" + GONE + ".git",         // a deleted app
                "my-shop-2-" + LIVE + ".git",     // hyphens in the name
                "my-shop-2-" + GONE + ".git",
                "shop.git",                       // not this layout: left alone
                ".shop.git-new-123",              // a repository being made
                "shop-not-a-uuid.git"), APPS))
                .containsExactly("ghost-" + GONE + ".git", "my-shop-2-" + GONE + ".git", "shop-" + GONE + ".git");
        assertThat(Leftovers.appOf("my-shop-2-" + GONE + ".git")).isEqualTo("my-shop-2");
        assertThat(Leftovers.appOf("shop.git")).isNull();
    }

    @Test
    void cachesGoUnlessTheyAreTheLiveAppsAndSourcesGoOnlyWhenNoAppHasTheName() {
        assertThat(Leftovers.blobs(List.of(
                Leftovers.cache("shop", LIVE),
                Leftovers.cache("shop", GONE),
                "caches/shop/cache.tar.zst",      // the layout before caches were named by app id
                Leftovers.cache("ghost", GONE),
                "sources/shop/0123abcd.tgz",      // the live app's name: kept (sources are named by commit)
                "sources/ghost/0123abcd.tgz",
                "slugs/ghost/" + GONE + ".tar.zst", // slugs stay with the releases
                "caches/ghost/deeper/x.tar.zst",
                "elsewhere/ghost.tgz"), APPS))
                .containsExactly("caches/ghost/" + GONE + ".tar.zst", "caches/shop/" + GONE + ".tar.zst",
                        "caches/shop/cache.tar.zst", "sources/ghost/0123abcd.tgz");
    }
}
