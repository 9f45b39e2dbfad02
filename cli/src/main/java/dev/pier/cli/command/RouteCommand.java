package dev.pier.cli.command;

import dev.pier.api.NewRoute;
import dev.pier.api.Route;
import dev.pier.cli.Table;
import dev.pier.cli.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "route", description = "List, add and remove the app's HTTP routes (domains).",
        subcommands = {RouteCommand.Add.class, RouteCommand.Remove.class})
public class RouteCommand extends PierCommand {
    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        List<Route> routes = client().routes(app());
        if (json) {
            printJson(routes);
            return 0;
        }
        Table table = new Table("DOMAIN", "SERVICE", "TLS", "ID");
        routes.forEach(r -> table.row(r.domain(), r.service(), r.tlsCert() == null ? "no" : "yes", r.id()));
        table.print(out());
        return 0;
    }

    @Command(name = "add", description = "Route a domain to the app (with --tls-cert and --tls-key for HTTPS).")
    static class Add extends PierCommand {
        @Parameters(paramLabel = "DOMAIN")
        String domain;
        @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain")
        Path cert;
        @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key")
        Path key;

        @Override
        public Integer call() throws IOException {
            Route route = client().addRoute(app(), new NewRoute(domain, read(cert), read(key)));
            say("Routed " + route.domain() + " to " + route.app() + (route.tlsCert() == null ? "" : " (with TLS)"));
            return 0;
        }

        private static String read(Path file) throws IOException {
            if (file == null) {
                return null;
            }
            if (!Files.isReadable(file)) {
                throw new UserError("cannot read " + file);
            }
            return Files.readString(file);
        }
    }

    @Command(name = "remove", description = "Remove a route, by domain or id.")
    static class Remove extends PierCommand {
        @Parameters(paramLabel = "DOMAIN")
        String domain;

        @Override
        public Integer call() {
            client().removeRoute(app(), domain);
            say("Removed route " + domain);
            return 0;
        }
    }
}
