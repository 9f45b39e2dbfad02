package dev.pier.cli.command;

import dev.pier.api.App;
import dev.pier.api.Formation;
import dev.pier.api.NewApp;
import dev.pier.api.Release;
import dev.pier.api.ReleaseChange;
import dev.pier.api.Route;
import dev.pier.api.http.PierApiException;
import dev.pier.cli.GitRemotes;
import dev.pier.cli.Table;
import dev.pier.cli.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Commands about the app itself: create, apps, delete, info, rollback. */
public final class AppCommands {
    private AppCommands() {
    }

    @Command(name = "create", description = "Create an app (named, or with a generated name) and add the 'pier' git remote.")
    public static class Create extends PierCommand {
        @Parameters(paramLabel = "NAME", arity = "0..1")
        String name;
        @Option(names = {"-r", "--remote"}, defaultValue = GitRemotes.DEFAULT_REMOTE, paramLabel = "REMOTE",
                description = "the git remote to add (default: ${DEFAULT-VALUE})")
        String remote;
        @Option(names = "--no-remote", description = "do not add a git remote")
        boolean noRemote;

        @Override
        public Integer call() {
            App app = client().createApp(new NewApp(name, null));
            say("Created " + app.name());
            GitRemotes git = session().git();
            if (!noRemote && git.isRepository()) {
                String url = GitRemotes.urlFor(session().cluster().gitUrl(), app.name());
                if (git.url(remote).isPresent()) {
                    err().println("pier: git remote '" + remote + "' already exists; not changed (push to " + url + ")");
                    err().flush();
                } else {
                    git.add(remote, url);
                    say("Added git remote " + remote + ": " + url);
                }
            }
            return 0;
        }
    }

    @Command(name = "apps", description = "List apps.")
    public static class Apps extends PierCommand {
        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            List<App> apps = client().apps();
            if (json) {
                printJson(apps);
                return 0;
            }
            Table table = new Table("NAME", "ID", "CREATED");
            apps.forEach(a -> table.row(a.name(), a.id(), a.createdAt()));
            table.print(out());
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete the app, its routes and its running jobs (asks first).")
    public static class Delete extends PierCommand {
        @Option(names = {"-y", "--yes"}, description = "do not ask for confirmation")
        boolean yes;
        @Option(names = {"-r", "--remote"}, defaultValue = GitRemotes.DEFAULT_REMOTE, paramLabel = "REMOTE",
                description = "the git remote to remove with it (default: ${DEFAULT-VALUE})")
        String remote;

        @Override
        public Integer call() throws IOException {
            String app = app();
            client().app(app);
            if (!yes) {
                if (System.console() == null) {
                    throw new UserError("deleting '" + app + "' needs confirmation: run it in a terminal or add --yes");
                }
                out().print("This deletes " + app + ", its routes and its running jobs. Type the app's name to confirm: ");
                out().flush();
                String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (!app.equals(answer == null ? null : answer.strip())) {
                    throw new UserError("not confirmed; nothing deleted");
                }
            }
            client().deleteApp(app);
            say("Deleted " + app);
            GitRemotes git = session().git();
            if (git.url(remote).flatMap(GitRemotes::appFrom).filter(app::equals).isPresent()) {
                git.remove(remote);
                say("Removed git remote " + remote);
            }
            return 0;
        }
    }

    @Command(name = "info", description = "Show the app: current release, processes, routes.")
    public static class Info extends PierCommand {
        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            String name = app();
            App app = client().app(name);
            Release release = app.releaseId() == null ? null : client().currentRelease(name);
            Formation formation = null;
            if (release != null) {
                try {
                    formation = client().formation(name, release.id());
                } catch (PierApiException e) {
                    if (!e.isNotFound()) {
                        throw e;
                    }
                }
            }
            List<Route> routes = client().routes(name);
            if (json) {
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("app", app);
                info.put("release", release);
                info.put("formation", formation);
                info.put("routes", routes);
                printJson(info);
                return 0;
            }
            say("=== " + app.name());
            Table table = new Table("", "");
            table.row("Id:", app.id());
            table.row("Release:", release == null ? "none yet" : "v" + release.version() + " (" + release.id() + ")");
            table.row("Processes:", formation == null || formation.processes().isEmpty() ? "none"
                    : formation.processes().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
            table.row("Routes:", routes.stream().map(Route::domain).collect(Collectors.joining(" ")));
            table.row("Strategy:", app.strategy().wireName());
            table.row("Created:", app.createdAt());
            table.print(out());
            return 0;
        }
    }

    @Command(name = "rollback", description = "Roll back to a release (default: the one before the current one), as a new release.")
    public static class Rollback extends PierCommand {
        @Parameters(paramLabel = "RELEASE", arity = "0..1", description = "release id or version (v3)")
        String release;
        @Option(names = {"-n", "--no-wait"}, description = "do not wait for the deployment")
        boolean noWait;

        @Override
        public Integer call() throws InterruptedException {
            String app = app();
            ReleaseChange change = client().rollback(app, release == null ? null : ReleaseRefs.resolve(client(), app, release));
            say("Rolled back " + app + ": " + change.release().description() + ", now v" + change.release().version()
                    + Deploys.outcome(change.deployment()));
            if (!noWait) {
                Deploys.await(this, change.deployment(), Deploys.DEFAULT_WAIT);
            }
            return 0;
        }
    }
}
