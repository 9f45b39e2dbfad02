package dev.pier.cli;

import dev.pier.cli.command.AppCommands;
import dev.pier.cli.command.BuildCommand;
import dev.pier.cli.command.ClusterCommand;
import dev.pier.cli.command.DeploymentCommand;
import dev.pier.cli.command.EnvCommand;
import dev.pier.cli.command.KeyCommand;
import dev.pier.cli.command.LogCommand;
import dev.pier.cli.command.MetricsCommand;
import dev.pier.cli.command.PgCommand;
import dev.pier.cli.command.RedisCommand;
import dev.pier.cli.command.ProvidersCommand;
import dev.pier.cli.command.PsCommand;
import dev.pier.cli.command.ReleaseCommand;
import dev.pier.cli.command.ResourceCommand;
import dev.pier.cli.command.RouteCommand;
import dev.pier.cli.command.RunCommand;
import dev.pier.cli.command.ScaleCommand;
import dev.pier.cli.command.VolumeCommand;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import picocli.AutoComplete;
import picocli.CommandLine.Command;

/**
 * Pier's commands, in the order help lists them, and which of them a command line needs. picocli reads every
 * command's annotations when it builds the tree, about a tenth of a second of the CLI's start-up; a line that
 * names one command needs only that one. Help, completion, an unknown name or no name at all get the whole tree,
 * so their listings and "did you mean" suggestions stay complete.
 */
final class CommandTree {
    static final List<Class<?>> ALL = List.of(ClusterCommand.class, AppCommands.Create.class, AppCommands.Apps.class,
            AppCommands.Delete.class, AppCommands.Info.class, ScaleCommand.class, PsCommand.class, EnvCommand.class,
            RunCommand.class, LogCommand.class, ReleaseCommand.class, AppCommands.Rollback.class, RouteCommand.class,
            ResourceCommand.class, ProvidersCommand.class, PgCommand.class, RedisCommand.class, KeyCommand.class,
            DeploymentCommand.class, BuildCommand.class, MetricsCommand.class, VolumeCommand.class,
            AutoComplete.GenerateCompletion.class);

    /** The root's options that take a value; any other option is a flag. */
    private static final Set<String> VALUED_OPTIONS = Set.of("-a", "--app", "-c", "--cluster");
    /** Commands that describe the whole tree. */
    private static final Set<String> WHOLE_TREE_COMMANDS = Set.of("generate-completion");

    private CommandTree() {
    }

    /** The commands {@code args} needs: the one it names, or all of them. */
    static List<Class<?>> forArguments(String[] args) {
        String named = commandName(args);
        if (named == null || WHOLE_TREE_COMMANDS.contains(named)) {
            return ALL;
        }
        return ALL.stream().filter(command -> names(command).contains(named)).findFirst()
                .<List<Class<?>>>map(List::of).orElse(ALL);
    }

    /** The first word of {@code args} that is neither an option nor an option's value; null when there is none. */
    static String commandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                return null;
            }
            if (!arg.startsWith("-")) {
                return arg;
            }
            if (VALUED_OPTIONS.contains(arg)) {
                i++; // its value follows: -a web, --cluster prod (but not --app=web)
            }
        }
        return null;
    }

    private static List<String> names(Class<?> command) {
        Command annotation = command.getAnnotation(Command.class);
        String[] aliases = annotation.aliases();
        String[] all = Arrays.copyOf(aliases, aliases.length + 1);
        all[aliases.length] = annotation.name();
        return List.of(all);
    }
}
