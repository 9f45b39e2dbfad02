package dev.pier.api.host;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * A process type's command line, as a Docker image's job runs it: {@code /bin/sh -c LINE}. When the line is one
 * simple command it is run as {@code exec LINE}, so the program replaces the shell and is the container's first
 * process. Otherwise the shell stays the first process, and Debian's {@code /bin/sh} (dash) forks the program even
 * for the last command. As process 1, the shell ignores the stop signal, so the program never saw SIGTERM and was
 * SIGKILLed after the grace period. Redis lost its last second of writes that way, and each stop took 10 s.
 *
 * <p>A line with a list, pipe, subshell, group or command substitution is left as it is, and so is one that starts
 * with a shell keyword, a builtin or a variable assignment: {@code exec} would change what it does. Such a line
 * should end in {@code exec program} itself.
 */
public final class ShellCommand {
    /** Lists, pipes, background jobs, subshells, groups, command substitution, several lines. */
    private static final Pattern COMPOUND = Pattern.compile("[;&|()`{}\\n]");
    private static final Set<String> NOT_PROGRAMS = Set.of("if", "then", "else", "elif", "fi", "case", "esac", "for",
            "while", "until", "do", "done", "!", "[[", "function", "select", "time", "exec", "cd", "export", "set",
            "unset", "source", ".", "eval", "exit", "return", "trap", "ulimit", "umask", "wait", "shift", "read",
            "alias", ":", "true", "false");

    private ShellCommand() {
    }

    /** The line {@code /bin/sh -c} is given for {@code command}: {@code exec command} when that is safe. */
    public static String execForm(String command) {
        String line = command.strip();
        if (line.isEmpty() || COMPOUND.matcher(line).find()) {
            return command;
        }
        String first = line.split("\\s+", 2)[0];
        if (first.contains("=") || NOT_PROGRAMS.contains(first)) {
            return command;
        }
        return "exec " + line;
    }
}
