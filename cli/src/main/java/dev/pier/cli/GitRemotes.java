package dev.pier.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The `pier` git remote: reading the app from it, and adding it. */
public final class GitRemotes {
    public static final String DEFAULT_REMOTE = "pier";

    private final Path dir;

    public GitRemotes(Path dir) {
        this.dir = dir;
    }

    /** The app a push URL names: {@code ssh://git@host:2222/shop.git}, {@code git@host:shop.git} → shop. */
    public static Optional<String> appFrom(String url) {
        if (url == null) {
            return Optional.empty();
        }
        String path = url.strip();
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.endsWith(".git")) {
            return Optional.empty();
        }
        path = path.substring(0, path.length() - 4);
        int cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf(':'));
        String app = path.substring(cut + 1);
        return app.isEmpty() ? Optional.empty() : Optional.of(app);
    }

    /** The push URL of an app on a cluster whose git URL is {@code gitUrl}. */
    public static String urlFor(String gitUrl, String app) {
        String base = gitUrl.endsWith("/") ? gitUrl.substring(0, gitUrl.length() - 1) : gitUrl;
        return base + "/" + app + ".git";
    }

    public boolean isRepository() {
        return git("rev-parse", "--is-inside-work-tree").filter("true"::equals).isPresent();
    }

    public Optional<String> url(String remote) {
        return git("remote", "get-url", remote);
    }

    public void add(String remote, String url) {
        if (git("remote", "add", remote, url).isEmpty() && url(remote).filter(url::equals).isEmpty()) {
            throw new UserError("could not add the git remote '" + remote + "'");
        }
    }

    public void remove(String remote) {
        git("remote", "remove", remote);
    }

    /** Runs git in the directory; the trimmed output when it exits 0. */
    private Optional<String> git(String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 ? Optional.of(new String(out, StandardCharsets.UTF_8).strip())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
