package dev.pier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.testkit.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A developer at a shell, with the cluster's CLI config and an SSH key of their own: runs {@code bin/pier},
 * {@code git} (pushing over {@code ssh} with that key) and {@code ssh-keygen} as real processes, in a directory of
 * their choosing, and returns what each printed and its exit code.
 */
final class Developer {
    static final Duration CLI = Duration.ofMinutes(5);
    static final Duration PUSH = Duration.ofMinutes(12);

    private final PierCluster cluster;
    private final Path home;
    private final Path key;

    private Developer(PierCluster cluster, Path home, Path key) {
        this.cluster = cluster;
        this.home = home;
        this.key = key;
    }

    /** A developer named {@code name} with a fresh ed25519 key ({@code ssh-keygen}). */
    static Developer withNewKey(PierCluster cluster, String name) {
        Path home = cluster.work().resolve(name);
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path key = home.resolve("id_ed25519");
        Command.Result keygen = Command.run(Duration.ofSeconds(60), List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "",
                "-C", name + "@e2e", "-f", key.toString()));
        assertThat(keygen.exitCode()).as("ssh-keygen: %s", keygen.output()).isZero();
        return new Developer(cluster, home, key);
    }

    Path publicKey() {
        return Path.of(key + ".pub");
    }

    /** The key's {@code SHA256:} fingerprint, as {@code ssh-keygen -l} prints it (and {@code pier key list}). */
    String fingerprint() {
        Command.Result result = Command.run(Duration.ofSeconds(60), List.of("ssh-keygen", "-l", "-f",
                publicKey().toString()));
        assertThat(result.exitCode()).as("ssh-keygen -l: %s", result.output()).isZero();
        return result.output().split(" ")[1];
    }

    /** {@code bin/pier ARGS} in {@code directory} (the developer's home when null). */
    Command.Result pier(Path directory, String... args) {
        List<String> command = new ArrayList<>(List.of(cluster.root().resolve("bin/pier").toString()));
        command.addAll(List.of(args));
        Command.Result result = Command.run(CLI, command, directory == null ? home : directory, cluster.env());
        System.out.printf("$ pier %s  -> exit %d%n%s%n", String.join(" ", args), result.exitCode(), result.output());
        return result;
    }

    /** {@code bin/pier ARGS}, required to succeed; returns its output. */
    String pierOk(Path directory, String... args) {
        Command.Result result = pier(directory, args);
        assertThat(result.exitCode()).as("pier %s exited %d:%n%s", String.join(" ", args), result.exitCode(),
                result.output()).isZero();
        return result.output();
    }

    /**
     * {@code git push REMOTE REFSPEC...} with this developer's key. The git receiver's host key is checked against
     * {@code ~/.ssh/known_hosts}, where {@code bin/pier-dev up} put it, as for any user of that machine.
     */
    Command.Result push(Path repository, String... remoteAndRefspecs) {
        List<String> command = new ArrayList<>(List.of("git", "push"));
        command.addAll(List.of(remoteAndRefspecs));
        Map<String, String> env = new HashMap<>(cluster.env());
        env.put("GIT_SSH_COMMAND", "ssh -i " + key + " -o IdentitiesOnly=yes -o BatchMode=yes -o LogLevel=ERROR");
        long start = System.nanoTime();
        Command.Result result = Command.run(PUSH, command, repository, env);
        System.out.printf("$ git push %s  -> exit %d after %d s%n%s%n", String.join(" ", remoteAndRefspecs),
                result.exitCode(), Duration.ofNanos(System.nanoTime() - start).toSeconds(), result.output());
        return result;
    }

    /** {@code git ARGS} in the repository, required to succeed. */
    String git(Path repository, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.name=E2E Developer", "-c",
                "user.email=e2e@pier.dev"));
        command.addAll(List.of(args));
        Command.Result result = Command.run(Duration.ofSeconds(60), command, repository, Map.of());
        assertThat(result.exitCode()).as("git %s: %s", String.join(" ", args), result.output()).isZero();
        return result.output();
    }

    /** Commits everything in the repository. */
    void commit(Path repository, String message) {
        git(repository, "add", "-A");
        git(repository, "commit", "-q", "-m", message);
    }

    /**
     * A new git repository (branch main, one commit) holding a copy of one of the sample apps that the git
     * receiver's tests push ({@code git-receiver/src/test/resources/apps/SAMPLE}).
     */
    Path checkout(String sample, String directoryName) {
        return checkout(cluster.root().resolve("git-receiver/src/test/resources/apps").resolve(sample), directoryName);
    }

    /** A new git repository (branch main, one commit) holding a copy of the app in {@code source}, modes kept. */
    Path checkout(Path source, String directoryName) {
        Path repository = home.resolve(directoryName);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = repository.resolve(source.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the app " + source, e);
        }
        git(repository, "init", "-q", "-b", "main");
        commit(repository, "first");
        return repository;
    }
}
