package dev.pier.cli.command;

import dev.pier.api.Names;
import dev.pier.api.ReleaseChange;
import dev.pier.cli.UserError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "env", description = "Show, get, set and unset config vars (each change is a new release).",
        subcommands = {EnvCommand.Get.class, EnvCommand.Set.class, EnvCommand.Unset.class})
public class EnvCommand extends PierCommand {
    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        Map<String, String> env = new TreeMap<>(client().env(app()));
        if (json) {
            printJson(env);
        } else {
            env.forEach((k, v) -> say(k + "=" + v));
        }
        return 0;
    }

    @Command(name = "get", description = "Print one config var's value.")
    static class Get extends PierCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            String value = client().env(app()).get(name);
            if (value == null) {
                throw new UserError("config var " + name + " is not set");
            }
            say(value);
            return 0;
        }
    }

    @Command(name = "set", description = "Set config vars: pier env set NAME=VALUE... (a new release, deployed)")
    static class Set extends PierCommand {
        @Parameters(paramLabel = "NAME=VALUE", arity = "1..*")
        List<String> assignments;
        @Option(names = {"-n", "--no-wait"}, description = "do not wait for the deployment")
        boolean noWait;

        @Override
        public Integer call() {
            return apply(this, Assignments.parse(assignments), noWait);
        }
    }

    @Command(name = "unset", description = "Unset config vars: pier env unset NAME... (a new release, deployed)")
    static class Unset extends PierCommand {
        @Parameters(paramLabel = "NAME", arity = "1..*")
        List<String> names;
        @Option(names = {"-n", "--no-wait"}, description = "do not wait for the deployment")
        boolean noWait;

        @Override
        public Integer call() {
            Map<String, String> changes = new LinkedHashMap<>();
            for (String name : names) {
                Names.problemWithEnvName(name).ifPresent(p -> {
                    throw new UserError(p);
                });
                changes.put(name, null);
            }
            return apply(this, changes, noWait);
        }
    }

    static int apply(PierCommand command, Map<String, String> changes, boolean noWait) {
        String app = command.app();
        ReleaseChange change = command.client().changeEnv(app, changes);
        if (change.deployment() == null) {
            command.say("No change: " + app + " stays at v" + change.release().version());
        } else {
            command.say(change.release().description() + " on " + app + ": v" + change.release().version()
                    + Deploys.outcome(change.deployment()));
            if (!noWait) {
                try {
                    Deploys.await(command, change.deployment(), Deploys.DEFAULT_WAIT);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 130;
                }
            }
        }
        return 0;
    }
}
