package dev.pier.cli.command;

import dev.pier.cli.Table;
import dev.pier.cli.UserError;
import dev.pier.cli.config.CliConfig;
import dev.pier.cli.config.Cluster;
import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cluster", description = "List, add and remove clusters, and pick the default one.",
        subcommands = {ClusterCommand.Add.class, ClusterCommand.Remove.class, ClusterCommand.Default.class})
public class ClusterCommand extends PierCommand {
    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        CliConfig config = session().config();
        if (json) {
            printJson(config.clusters().stream().map(c -> new Cluster(c.name(), c.controllerUrl(), null, c.gitUrl())).toList());
            return 0;
        }
        Table table = new Table("", "NAME", "CONTROLLER", "GIT");
        config.clusters().forEach(c -> table.row(c.name().equals(config.defaultCluster()) ? "*" : "", c.name(),
                c.controllerUrl(), c.gitUrl()));
        table.print(out());
        return 0;
    }

    @Command(name = "list", description = "List clusters (the default one is starred).")
    int list(@Option(names = "--json", description = "print JSON") boolean asJson) {
        json = asJson;
        return call();
    }

    @Command(name = "add", description = "Add a cluster (the first one added becomes the default).")
    static class Add extends PierCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "CONTROLLER_URL", description = "e.g. http://127.0.0.1:8300")
        String url;
        @Parameters(index = "2", paramLabel = "KEY", description = "the cluster key")
        String key;
        @Option(names = "--git-url", paramLabel = "URL",
                description = "where git pushes go (default: ssh://git@<controller host>:2222)")
        String gitUrl;
        @Option(names = {"-d", "--default"}, description = "make it the default cluster")
        boolean makeDefault;

        @Override
        public Integer call() {
            if (!name.matches("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")) {
                throw new UserError("cluster name '" + name + "' is invalid: use letters, digits, '.', '_' and '-'");
            }
            URI controller;
            try {
                controller = new URI(url);
                if (!("http".equals(controller.getScheme()) || "https".equals(controller.getScheme()))
                        || controller.getHost() == null) {
                    throw new URISyntaxException(url, "not http(s)");
                }
            } catch (URISyntaxException e) {
                throw new UserError("controller URL '" + url + "' is not an http(s) URL");
            }
            if (key.isBlank()) {
                throw new UserError("the cluster key is empty");
            }
            String git = gitUrl != null ? gitUrl : "ssh://git@" + controller.getHost() + ":2222";
            CliConfig config = session().config();
            session().store().save(config.with(new Cluster(name, url, key.strip(), git), makeDefault));
            say("Cluster '" + name + "' added" + (makeDefault || config.defaultCluster() == null ? " (default)" : "") + ".");
            return 0;
        }
    }

    @Command(name = "remove", description = "Forget a cluster.")
    static class Remove extends PierCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            CliConfig config = session().config();
            if (config.find(name).isEmpty()) {
                throw new UserError("no cluster named '" + name + "'");
            }
            session().store().save(config.without(name));
            say("Cluster '" + name + "' removed.");
            return 0;
        }
    }

    @Command(name = "default", description = "Show or set the default cluster.")
    static class Default extends PierCommand {
        @Parameters(paramLabel = "NAME", arity = "0..1")
        String name;

        @Override
        public Integer call() {
            CliConfig config = session().config();
            if (name == null) {
                if (config.defaultCluster() == null) {
                    throw new UserError("no default cluster: add one with 'pier cluster add'");
                }
                say(config.defaultCluster());
                return 0;
            }
            if (config.find(name).isEmpty()) {
                throw new UserError("no cluster named '" + name + "'");
            }
            session().store().save(config.withDefault(name));
            say("Default cluster is now '" + name + "'.");
            return 0;
        }
    }
}
