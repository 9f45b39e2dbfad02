package dev.pier.cli;

import java.util.Arrays;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A subcommand that wraps another program may owe a short option to that program ({@code pier pg psql -c SQL}, as
 * {@code psql -c}), though pier's root gives every subcommand the same short name ({@code -c}, {@code --cluster}).
 * picocli builds inherited options into each subcommand; this moves the short name from one option to another in
 * one subcommand only. The option that loses it keeps its other names and its binding (the root's field).
 */
final class ShortOptions {
    private ShortOptions() {
    }

    /** Moves {@code shortName} from the option named {@code fromName} to the option named {@code toName} in {@code spec}. */
    static void move(CommandSpec spec, String shortName, String fromName, String toName) {
        OptionSpec from = option(spec, fromName);
        OptionSpec to = option(spec, toName);
        if (!Arrays.asList(from.names()).contains(shortName)) {
            throw new IllegalArgumentException(fromName + " has no name " + shortName + " in " + spec.qualifiedName());
        }
        String[] kept = Arrays.stream(from.names()).filter(name -> !name.equals(shortName)).toArray(String[]::new);
        String[] taken = Arrays.copyOf(to.names(), to.names().length + 1);
        taken[to.names().length] = shortName;
        // both removed before either is added back: the name is never held twice
        spec.remove(from);
        spec.remove(to);
        spec.addOption(OptionSpec.builder(from).names(kept).build());
        spec.addOption(OptionSpec.builder(to).names(taken).build());
    }

    private static OptionSpec option(CommandSpec spec, String name) {
        OptionSpec option = spec.findOption(name);
        if (option == null) {
            throw new IllegalArgumentException(spec.qualifiedName() + " has no option " + name);
        }
        return option;
    }
}
