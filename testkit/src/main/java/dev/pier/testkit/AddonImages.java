package dev.pier.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The add-on server images of this checkout ({@code pier/postgres}, {@code pier/redis}), built by
 * {@code docker/build-addons} on this checkout's run stack (a no-op in seconds when their recipe is unchanged). The
 * exact tags come from its last line, {@code ADDON-IMAGES pier/postgres:… pier/redis:…}.
 */
public record AddonImages(Map<String, String> byName, String output) {
    private static AddonImages built;

    public static synchronized AddonImages build(Path repository) {
        if (built != null) {
            return built;
        }
        StackImages stacks = StackImages.build(repository);
        String out = Command.check(Duration.ofMinutes(10), List.of(repository.resolve("docker/build-addons").toString(),
                stacks.runImage()));
        String last = out.strip().lines().reduce((a, b) -> b).orElse("");
        if (!last.startsWith("ADDON-IMAGES ")) {
            throw new IllegalStateException("docker/build-addons did not end with ADDON-IMAGES:\n" + out);
        }
        Map<String, String> images = new LinkedHashMap<>();
        for (String image : last.substring("ADDON-IMAGES ".length()).trim().split(" ")) {
            images.put(image.substring("pier/".length(), image.indexOf(':')), image);
        }
        built = new AddonImages(Map.copyOf(images), out);
        return built;
    }

    /** The exact image of one add-on server: {@code postgres} → {@code pier/postgres:<recipe>}. */
    public String image(String name) {
        String image = byName.get(name);
        if (image == null) {
            throw new IllegalStateException("docker/build-addons built no pier/" + name + " image: " + byName.values());
        }
        return image;
    }
}
