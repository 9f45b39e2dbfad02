package dev.pier.controller.app;

import java.util.List;
import java.util.random.RandomGenerator;

/** Heroku-style names for apps created without one: {@code adjective-noun-1234}. */
public final class AppNameGenerator {
    private static final List<String> ADJECTIVES = List.of("calm", "brave", "bright", "quiet", "swift", "gentle",
            "bold", "clever", "eager", "fancy", "happy", "jolly", "lively", "proud", "silly", "sunny", "witty",
            "young", "amber", "misty", "rapid", "polar", "lunar", "solar", "rustic", "hidden", "golden", "silent");
    private static final List<String> NOUNS = List.of("river", "harbor", "meadow", "forest", "canyon", "island",
            "summit", "valley", "glacier", "lagoon", "prairie", "reef", "tide", "breeze", "comet", "falcon",
            "otter", "heron", "maple", "cedar", "willow", "ember", "pebble", "lantern", "anchor", "beacon", "pier");

    private final RandomGenerator random;

    public AppNameGenerator(RandomGenerator random) {
        this.random = random;
    }

    public String next() {
        return ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "-" + NOUNS.get(random.nextInt(NOUNS.size()))
                + "-" + (1000 + random.nextInt(9000));
    }
}
