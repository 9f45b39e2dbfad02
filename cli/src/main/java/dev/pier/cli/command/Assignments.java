package dev.pier.cli.command;

import dev.pier.api.Names;
import dev.pier.cli.UserError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code NAME=VALUE} arguments read as config vars, in order; a bad one is a {@link UserError}. */
final class Assignments {
    private Assignments() {
    }

    static Map<String, String> parse(List<String> assignments) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new UserError("'" + assignment + "' is not NAME=VALUE");
            }
            String name = assignment.substring(0, eq);
            Names.problemWithEnvName(name).ifPresent(p -> {
                throw new UserError(p);
            });
            vars.put(name, assignment.substring(eq + 1));
        }
        return vars;
    }
}
