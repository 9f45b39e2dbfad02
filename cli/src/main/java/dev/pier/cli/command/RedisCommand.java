package dev.pier.cli.command;

import dev.pier.api.Resource;
import dev.pier.cli.Terminal;
import dev.pier.cli.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pier redis cli}: redis-cli against the app's Redis ({@code REDIS_URL}, from its attached redis resource), run
 * as a one-off job of that resource's system app {@code pier-redis-<id>} (the image of its server carries redis-cli),
 * attached as {@code pier run} is. The job gets the app's {@code REDIS_URL} and {@code REDIS_*} config vars; nothing
 * else of the app.
 */
@Command(name = "redis", description = {"redis-cli against the app's Redis (its REDIS_URL, from an attached redis "
        + "resource).",
        "It runs as a one-off job of the resource's system app (" + RedisCommand.SYSTEM_APP_PREFIX + "<id>), whose "
                + "image has redis-cli, attached like pier run."},
        subcommands = {RedisCommand.Cli.class})
public class RedisCommand extends PierCommand {
    /** Each redis resource's server runs as the system app {@code pier-redis-<id>} (id: the provider's). */
    public static final String SYSTEM_APP_PREFIX = "pier-redis-";
    static final AddonJob.Addon ADDON = new AddonJob.Addon("redis", SYSTEM_APP_PREFIX + "<id>", "REDIS_URL", "REDIS_",
            "a Redis resource", "redis-cli", "REDIS_PASSWORD");

    /** The system app of the app's redis resource: {@code pier-redis-<its id at the provider>}. */
    static String systemApp(List<Resource> resources, String app) {
        List<Resource> redis = resources.stream().filter(r -> ADDON.provider().equals(r.provider())).toList();
        if (redis.isEmpty()) {
            throw new UserError("app '" + app + "' has no redis resource attached: attach one first (pier -a " + app
                    + " resource add redis)");
        }
        return SYSTEM_APP_PREFIX + redis.get(0).externalId();
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(out());
        return 0;
    }

    /**
     * A URL without a user ({@code redis://:PASSWORD@HOST:PORT}, the redis provider's) names the default user for
     * redis-cli: Redis 7.0's redis-cli sends {@code AUTH "" PASSWORD} for an empty user, which Redis refuses.
     */
    static final String DEFAULT_USER = "case $REDIS_URL in redis://:*) REDIS_URL=\"redis://default:${REDIS_URL#redis://:}\";; "
            + "rediss://:*) REDIS_URL=\"rediss://default:${REDIS_URL#rediss://:}\";; esac; ";

    /**
     * redis-cli on the app's Redis with {@code args} after it; with {@code words} (a command split into its words),
     * that command, redis-cli's exit status 1 when Redis answers an error.
     */
    static List<String> redisCli(List<String> words, List<String> args) {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", DEFAULT_USER
                + "exec redis-cli -u \"$REDIS_URL\" --no-auth-warning " + (words == null ? "\"$@\"" : "-e \"$@\""),
                "redis-cli"));
        command.addAll(args);
        if (words != null) {
            command.addAll(words);
        }
        return command;
    }

    /**
     * A command line split into words as redis-cli splits what is typed at its prompt: spaces separate, "double
     * quotes" (with backslash escapes) and 'single quotes' keep spaces in one word.
     */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    char next = line.charAt(++i);
                    word.append(switch (next) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        default -> next;
                    });
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                if (c == '"' || c == '\'') {
                    quote = c;
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            throw new UserError("the command has an unclosed " + (quote == '"' ? "double" : "single") + " quote: "
                    + line);
        }
        if (word != null) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            throw new UserError("--command is empty: give a Redis command, e.g. --command 'GET key'");
        }
        return words;
    }

    @Command(name = "cli", description = {"Open redis-cli on the app's Redis (interactive, with a terminal when yours "
            + "is one), or with --command run that command and exit: status 1 when Redis answers an error.",
            "Arguments after -- go to redis-cli as they are (pier redis cli -- --raw); -c before -- is pier's "
                    + "--cluster."})
    static class Cli extends AddonJob {
        @Option(names = {"-C", "--command"}, paramLabel = "COMMAND",
                description = "run this Redis command and exit (words as redis-cli splits them: 'SET k \"a b\"')")
        String line;
        @Parameters(paramLabel = "REDIS-CLI-ARG", arity = "0..*", description = "redis-cli's own arguments (after --)")
        List<String> args = new ArrayList<>();

        @Override
        Addon addon() {
            return ADDON;
        }

        @Override
        String systemApp(String app) {
            jobEnv(ADDON, app, client().env(app)); // no REDIS_URL at all: that is the message
            return RedisCommand.systemApp(client().appResources(app), app);
        }

        @Override
        String systemAppOrigin(String systemApp) {
            return "the system app " + systemApp + " runs the resource's Redis server; the redis provider makes it "
                    + "when the resource is added";
        }

        @Override
        public Integer call() {
            List<String> words = line == null ? null : words(line);
            Terminal terminal = terminal();
            boolean tty = words == null && terminal.isTerminal();
            return run(redisCli(words, args), Map.of(), tty);
        }
    }
}
