package dev.pier.cli;

import dev.pier.api.Names;
import dev.pier.api.controller.ControllerClient;
import dev.pier.cli.config.CliConfig;
import dev.pier.cli.config.Cluster;
import dev.pier.cli.config.ConfigStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** What a command works with: the config, the chosen cluster and its client, and the app. */
public final class Session {
    private final ConfigStore store;
    private final String clusterOption;
    private final String appOption;
    private final Path workingDir;
    private ControllerClient client;

    public Session(ConfigStore store, String clusterOption, String appOption, Path workingDir) {
        this.store = store;
        this.clusterOption = clusterOption;
        this.appOption = appOption;
        this.workingDir = workingDir;
    }

    public ConfigStore store() {
        return store;
    }

    public CliConfig config() {
        return store.load();
    }

    /** {@code -c}, else {@code $PIER_CLUSTER}, else the default cluster. */
    public Cluster cluster() {
        CliConfig config = config();
        String name = clusterOption != null ? clusterOption : System.getenv("PIER_CLUSTER");
        if (name == null) {
            name = config.defaultCluster();
        }
        if (name == null) {
            throw new UserError("no cluster configured: add one with 'pier cluster add NAME CONTROLLER_URL KEY'");
        }
        String wanted = name;
        return config.find(name).orElseThrow(() -> new UserError("no cluster named '" + wanted
                + "' (see 'pier cluster list')"));
    }

    public ControllerClient client() {
        if (client == null) {
            Cluster cluster = cluster();
            client = new ControllerClient(URI.create(cluster.controllerUrl()), cluster.key(), Duration.ofSeconds(30));
        }
        return client;
    }

    public GitRemotes git() {
        return new GitRemotes(workingDir);
    }

    /** The app given by {@code -a} or {@code $PIER_APP}, if any (not guessed from the git remote). */
    public java.util.Optional<String> appGiven() {
        return java.util.Optional.ofNullable(appOption != null ? appOption : System.getenv("PIER_APP"));
    }

    /** {@code -a}, else {@code $PIER_APP}, else the app the {@code pier} git remote points at. */
    public String app() {
        String app = appOption != null ? appOption : System.getenv("PIER_APP");
        if (app == null) {
            app = git().url(GitRemotes.DEFAULT_REMOTE).flatMap(GitRemotes::appFrom).orElse(null);
        }
        if (app == null) {
            throw new UserError("no app: give -a APP, or run this inside a git repository with a 'pier' remote");
        }
        Names.problemWithApp(app).ifPresent(problem -> {
            throw new UserError(problem);
        });
        return app;
    }

    public Path workingDir() {
        return workingDir;
    }
}
