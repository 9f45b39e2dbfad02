package dev.pier.api.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShellCommandTest {
    @Test
    void oneSimpleCommandReplacesTheShell() {
        assertThat(ShellCommand.execForm("/pier/redis/start")).isEqualTo("exec /pier/redis/start");
        assertThat(ShellCommand.execForm("  httpd -f -p $PORT -h /www ")).isEqualTo("exec httpd -f -p $PORT -h /www");
        assertThat(ShellCommand.execForm("node server.js > /tmp/out 2>/tmp/err"))
                .as("redirections apply to the program exec starts").isEqualTo("exec node server.js > /tmp/out 2>/tmp/err");
        assertThat(ShellCommand.execForm("echo 'a b' \"$HOME\"")).isEqualTo("exec echo 'a b' \"$HOME\"");
    }

    @Test
    void listsPipesSubshellsAndSeveralLinesStayAsTheyAre() {
        for (String line : new String[] {"sleep 1; echo done", "a && b", "a || b", "a | b", "a &", "(a)",
            "echo $(date)", "echo `date`", "{ a; }", "a\nb"}) {
            assertThat(ShellCommand.execForm(line)).as(line).isEqualTo(line);
        }
    }

    @Test
    void keywordsBuiltinsAndAssignmentsStayAsTheyAre() {
        for (String line : new String[] {"while true do x done", "if x then y fi", "cd /app", "exec node x",
            "export A=1", "PORT=9 node x", "ulimit -n 1024", ""}) {
            assertThat(ShellCommand.execForm(line)).as(line).isEqualTo(line);
        }
    }
}
