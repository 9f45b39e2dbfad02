package dev.pier.cli.command;

import dev.pier.api.NewResource;
import dev.pier.api.ReleaseChange;
import dev.pier.api.Resource;
import dev.pier.cli.Table;
import dev.pier.cli.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pier resource}: add-ons. A resource is made by a provider ({@code pier providers}) and attached to the app:
 * its config vars set as a new release, deployed as {@code pier env set} is. Secrets are never printed unless asked
 * for ({@code --json}, {@code pier env}).
 */
@Command(name = "resource", aliases = "resources",
        description = "List, add and remove the app's add-on resources (databases, caches).",
        subcommands = {ResourceCommand.Add.class, ResourceCommand.ListCommand.class, ResourceCommand.Info.class,
                ResourceCommand.Attach.class, ResourceCommand.Detach.class, ResourceCommand.Remove.class})
public class ResourceCommand extends PierCommand {
    @Option(names = "--json", description = "print JSON (with the config vars' values)")
    boolean json;

    @Override
    public Integer call() {
        return list(this, false, json);
    }

    static int list(PierCommand command, boolean all, boolean json) {
        List<Resource> resources = all ? command.client().resources() : command.client().appResources(command.app());
        if (json) {
            command.printJson(resources);
            return 0;
        }
        if (resources.isEmpty()) {
            command.say(all ? "No resources." : "No resources attached to " + command.app()
                    + " (add one with 'pier resource add PROVIDER').");
            return 0;
        }
        Table table = new Table("ID", "PROVIDER", "APPS", "CONFIG VARS", "CREATED");
        resources.forEach(r -> table.row(r.id(), r.provider(), r.apps().isEmpty() ? "-" : String.join(",", r.apps()),
                String.join(",", r.env().keySet()), r.createdAt()));
        table.print(command.out());
        return 0;
    }

    static UUID id(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new UserError("'" + value + "' is not a resource id ('pier resource list' shows them)");
        }
    }

    /** Waits for each deployment the change made, as {@code pier env set} does; false when interrupted. */
    static boolean await(PierCommand command, List<Resource.AppReleaseChange> changes, boolean noWait) {
        if (noWait || changes == null) {
            return true;
        }
        try {
            for (Resource.AppReleaseChange change : changes) {
                if (change.change() != null) {
                    Deploys.await(command, change.change().deployment(), Deploys.DEFAULT_WAIT);
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Command(name = "add", description = "Provision a resource of PROVIDER and attach it to the app "
            + "(its config vars set as a new release, deployed).")
    static class Add extends PierCommand {
        @Parameters(paramLabel = "PROVIDER", description = "the provider, as 'pier providers' lists it")
        String provider;
        @Option(names = {"-n", "--no-wait"}, description = "do not wait for the deployment")
        boolean noWait;

        @Override
        public Integer call() {
            String app = app();
            Resource resource = client().provision(provider, NewResource.forApp(app));
            say("Created resource " + resource.id() + " (" + resource.provider() + ")");
            sayReleases(this, resource, resource.releases(), "Attached it to ", "set");
            return await(this, resource.releases(), noWait) ? 0 : 130;
        }
    }

    @Command(name = "list", description = "List the app's resources, or every resource with --all.")
    static class ListCommand extends PierCommand {
        @Option(names = "--all", description = "every resource of the cluster, attached or not")
        boolean all;
        @Option(names = "--json", description = "print JSON (with the config vars' values)")
        boolean json;

        @Override
        public Integer call() {
            return list(this, all, json);
        }
    }

    @Command(name = "info", description = "Show a resource: its provider, apps and config var names.")
    static class Info extends PierCommand {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--json", description = "print JSON (with the config vars' values)")
        boolean json;

        @Override
        public Integer call() {
            Resource resource = client().resource(id(id));
            if (json) {
                printJson(resource);
                return 0;
            }
            say("=== Resource " + resource.id());
            say("Provider:     " + resource.provider());
            say("Provider id:  " + resource.externalId());
            say("Apps:         " + (resource.apps().isEmpty() ? "none" : String.join(", ", resource.apps())));
            say("Config vars:  " + String.join(", ", resource.env().keySet())
                    + " (values: 'pier env -a APP' of an attached app, or --json)");
            say("Created:      " + resource.createdAt());
            return 0;
        }
    }

    @Command(name = "attach", description = "Attach an existing resource to the app (its config vars set as a "
            + "new release, deployed).")
    static class Attach extends PierCommand {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = {"-n", "--no-wait"}, description = "do not wait for the deployment")
        boolean noWait;

        @Override
        public Integer call() {
            Resource resource = client().attachResource(id(id), app());
            sayReleases(this, resource, resource.releases(),
                    "Attached resource " + resource.id() + " (" + resource.provider() + ") to ", "set");
            return await(this, resource.releases(), noWait) ? 0 : 130;
        }
    }

    @Command(name = "detach", description = "Detach a resource from the app (its config vars unset as a new "
            + "release, deployed); the resource stays.")
    static class Detach extends PierCommand {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = {"-n", "--no-wait"}, description = "do not wait for the deployment")
        boolean noWait;

        @Override
        public Integer call() {
            Resource resource = client().detachResource(id(id), app());
            sayReleases(this, resource, resource.releases(),
                    "Detached resource " + resource.id() + " (" + resource.provider() + ") from ", "unset");
            return await(this, resource.releases(), noWait) ? 0 : 130;
        }
    }

    /**
     * One line per app whose release the change made: {@code prefix}, the app, then what was {@code verb} ("set",
     * "unset") in which release and how its deployment goes; the config vars' names only, never their values.
     */
    static void sayReleases(PierCommand command, Resource resource, List<Resource.AppReleaseChange> changes,
            String prefix, String verb) {
        for (Resource.AppReleaseChange change : changes) {
            ReleaseChange made = change.change();
            command.say(prefix + change.app() + (made == null ? " (its config vars were " + verb + " already)"
                    : ": " + verb + " " + String.join(", ", resource.env().keySet()) + " in v"
                    + made.release().version() + Deploys.outcome(made.deployment())));
        }
    }

    @Command(name = "remove", description = "Detach a resource from its apps and deprovision it: its data is "
            + "deleted at the provider (asks first).")
    static class Remove extends PierCommand {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = {"-y", "--yes"}, description = "do not ask for confirmation")
        boolean yes;
        @Option(names = {"-n", "--no-wait"}, description = "do not wait for the deployments")
        boolean noWait;

        @Override
        public Integer call() throws IOException {
            Resource resource = client().resource(id(id));
            String what = "resource " + resource.id() + " (" + resource.provider() + ")";
            if (!yes) {
                if (System.console() == null) {
                    throw new UserError("removing " + what + " needs confirmation: run it in a terminal or add --yes");
                }
                out().print("This " + (resource.apps().isEmpty() ? "" : "detaches " + what + " from "
                        + String.join(", ", resource.apps()) + " and ") + "deletes "
                        + (resource.apps().isEmpty() ? what : "it") + " and its data at the provider. "
                        + "Type 'yes' to confirm: ");
                out().flush();
                String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (!"yes".equals(answer == null ? null : answer.strip())) {
                    throw new UserError("not confirmed; nothing removed");
                }
            }
            Resource removed = client().deprovision(resource.id(), true);
            sayReleases(this, resource, removed.releases(), "Detached it from ", "unset");
            say("Removed " + what);
            return await(this, removed.releases(), noWait) ? 0 : 130;
        }
    }
}
