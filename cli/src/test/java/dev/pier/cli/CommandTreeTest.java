package dev.pier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pier.cli.command.AppCommands;
import dev.pier.cli.command.EnvCommand;
import dev.pier.cli.command.RunCommand;
import org.junit.jupiter.api.Test;

class CommandTreeTest {
    private static String[] line(String... args) {
        return args;
    }

    @Test
    void theCommandIsTheFirstWordThatIsNeitherAnOptionNorItsValue() {
        assertThat(CommandTree.commandName(line("apps"))).isEqualTo("apps");
        assertThat(CommandTree.commandName(line("-a", "shop", "env", "set", "A=1"))).isEqualTo("env");
        assertThat(CommandTree.commandName(line("--cluster", "prod", "-a", "web", "ps"))).isEqualTo("ps");
        assertThat(CommandTree.commandName(line("--app=shop", "info"))).isEqualTo("info");
        assertThat(CommandTree.commandName(line("--help"))).isNull();
        assertThat(CommandTree.commandName(line())).isNull();
        assertThat(CommandTree.commandName(line("-a"))).as("an option missing its value").isNull();
        assertThat(CommandTree.commandName(line("--", "apps"))).isNull();
    }

    @Test
    void aLineThatNamesACommandGetsOnlyThatCommand() {
        assertThat(CommandTree.forArguments(line("apps", "--json"))).containsExactly(AppCommands.Apps.class);
        assertThat(CommandTree.forArguments(line("-a", "shop", "run", "ls", "-la"))).containsExactly(RunCommand.class);
        assertThat(CommandTree.forArguments(line("env", "unset", "A"))).containsExactly(EnvCommand.class);
    }

    @Test
    void helpCompletionAndUnknownNamesGetTheWholeTree() {
        assertThat(CommandTree.forArguments(line())).isEqualTo(CommandTree.ALL);
        assertThat(CommandTree.forArguments(line("--help"))).isEqualTo(CommandTree.ALL);
        assertThat(CommandTree.forArguments(line("generate-completion"))).isEqualTo(CommandTree.ALL);
        assertThat(CommandTree.forArguments(line("appz"))).as("so picocli can suggest 'apps'").isEqualTo(CommandTree.ALL);
    }
}
