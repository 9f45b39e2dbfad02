package dev.pier.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The stack images of this checkout, built by {@code docker/build-stacks} (a no-op in seconds when their recipe
 * is unchanged). The exact tags come from its last line: {@code :latest} may belong to another checkout.
 */
public record StackImages(String runImage, String buildImage, String output) {
    private static StackImages built;

    public static synchronized StackImages build(Path repository) {
        if (built != null) {
            return built;
        }
        Requirements.require(Command.which("debootstrap") != null, "debootstrap");
        DockerEngine.require();
        String out = Command.check(Duration.ofMinutes(30), List.of(repository.resolve("docker/build-stacks").toString()));
        String[] lines = out.strip().split("\n");
        String last = lines[lines.length - 1];
        if (!last.startsWith("STACK-IMAGES ")) {
            throw new IllegalStateException("docker/build-stacks did not end with STACK-IMAGES:\n" + out);
        }
        String run = null;
        String build = null;
        for (String image : last.substring("STACK-IMAGES ".length()).trim().split(" ")) {
            if (image.startsWith("pier/stack-build:")) {
                build = image;
            } else if (image.startsWith("pier/stack-run:")) {
                run = image;
            }
        }
        if (run == null || build == null) {
            throw new IllegalStateException("docker/build-stacks named no run or build image: " + last);
        }
        built = new StackImages(run, build, out);
        return built;
    }
}
