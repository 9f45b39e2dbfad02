package dev.pier.gitreceiver.push;

import java.util.Collection;
import java.util.Optional;
import org.eclipse.jgit.transport.ReceiveCommand;

/**
 * Which ref updates a push may make, as pure rules: only {@code main} or {@code master} deploy, one of them
 * per push; other branches, tags and deletions are refused with the reason (force-pushes are allowed).
 */
public final class PushPolicy {
    public static final String MAIN = "refs/heads/main";
    public static final String MASTER = "refs/heads/master";

    private PushPolicy() {
    }

    /** Why {@code command} is refused, or empty when it may go ahead. */
    public static Optional<String> problem(ReceiveCommand command) {
        String ref = command.getRefName();
        if (!ref.equals(MAIN) && !ref.equals(MASTER)) {
            return Optional.of("only main or master deploy: push with 'git push pier "
                    + shortName(ref) + ":main'");
        }
        if (command.getType() == ReceiveCommand.Type.DELETE) {
            return Optional.of("deleting " + shortName(ref) + " is not supported: it is what runs");
        }
        return Optional.empty();
    }

    /** The one command that deploys, or empty when the push holds none (or more than one) that may. */
    public static Optional<ReceiveCommand> deploying(Collection<ReceiveCommand> commands) {
        var allowed = commands.stream().filter(c -> problem(c).isEmpty()).toList();
        return allowed.size() == 1 ? Optional.of(allowed.get(0)) : Optional.empty();
    }

    static String shortName(String ref) {
        return ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length())
                : ref.startsWith("refs/tags/") ? ref.substring("refs/tags/".length()) : ref;
    }
}
