package dev.pier.cli.command;

import dev.pier.api.Provider;
import dev.pier.cli.Table;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pier providers}: the add-on providers of the cluster ({@code pier resource add PROVIDER}). */
@Command(name = "providers", description = "List the add-on providers ('pier resource add PROVIDER').")
public class ProvidersCommand extends PierCommand {
    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        List<Provider> providers = client().providers();
        if (json) {
            printJson(providers);
            return 0;
        }
        if (providers.isEmpty()) {
            say("No providers.");
            return 0;
        }
        Table table = new Table("NAME", "URL", "DESCRIPTION");
        providers.forEach(p -> table.row(p.name(), p.url(), p.description() == null ? "" : p.description()));
        table.print(out());
        return 0;
    }
}
