package dev.pier.router.config;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The router's settings by property name ({@code pier.router.port}), looked up the way Spring Boot's relaxed binding
 * looks them up, so that every way of setting one that worked before still works, without Spring's start-up cost:
 * first a command-line argument {@code --pier.router.port=8080}, then a Java system property of that name, then
 * an environment variable named after it ({@code PIER_ROUTER_PORT}; for {@code controller-url} both
 * {@code PIER_ROUTER_CONTROLLER_URL} and {@code PIER_ROUTER_CONTROLLERURL}), then an alias the router has always
 * documented ({@code PIER_CLUSTER_KEY}, {@code PIER_ROUTER_ADDRESS}), then the default. Pure: the sources are given.
 */
public final class Settings {
    private static final Pattern DURATION = Pattern.compile("([+-]?\\d+)(ns|us|ms|s|m|h|d)?");

    private final Map<String, String> arguments;
    private final Map<String, String> systemProperties;
    private final Map<String, String> environment;
    private final Map<String, String> aliases;

    private Settings(Map<String, String> arguments, Map<String, String> systemProperties,
            Map<String, String> environment, Map<String, String> aliases) {
        this.arguments = arguments;
        this.systemProperties = systemProperties;
        this.environment = environment;
        this.aliases = aliases;
    }

    /**
     * Settings from these sources. {@code arguments} are the program's ({@code --name=value}; others are
     * refused), {@code aliases} maps a property name to the environment variable that also sets it.
     */
    public static Settings of(String[] arguments, Map<String, String> systemProperties,
            Map<String, String> environment, Map<String, String> aliases) {
        Map<String, String> parsed = new HashMap<>();
        for (String argument : arguments) {
            int equals = argument.indexOf('=');
            if (!argument.startsWith("--") || equals < 3) {
                throw new IllegalArgumentException("unknown argument '" + argument
                        + "': settings are given as --name=value (e.g. --pier.router.port=8080)");
            }
            parsed.put(argument.substring(2, equals), argument.substring(equals + 1));
        }
        return new Settings(Map.copyOf(parsed), Map.copyOf(systemProperties), Map.copyOf(environment),
                Map.copyOf(aliases));
    }

    /** The value set for {@code name}, by the first source that sets it. */
    public Optional<String> find(String name) {
        String value = arguments.get(name);
        if (value == null) {
            value = systemProperties.get(name);
        }
        if (value == null) {
            String upper = name.toUpperCase(Locale.ROOT);
            value = environment.get(upper.replace('.', '_').replace('-', '_'));
            if (value == null) {
                value = environment.get(upper.replace('.', '_').replace("-", ""));
            }
        }
        if (value == null && aliases.containsKey(name)) {
            value = environment.get(aliases.get(name));
        }
        return Optional.ofNullable(value);
    }

    public String string(String name, String fallback) {
        return find(name).orElse(fallback);
    }

    public int integer(String name, int fallback) {
        Optional<String> value = find(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.get().strip());
        } catch (NumberFormatException e) {
            throw invalid(name, value.get(), "a whole number");
        }
    }

    public boolean bool(String name, boolean fallback) {
        Optional<String> value = find(name);
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get().strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(name, value.get(), "true or false");
        };
    }

    /** A duration as Spring Boot reads one: {@code 500ms}, {@code 5s}, {@code 2m}, a bare number of milliseconds, or ISO-8601. */
    public Duration duration(String name, Duration fallback) {
        Optional<String> value = find(name);
        if (value.isEmpty()) {
            return fallback;
        }
        String text = value.get().strip();
        Matcher simple = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        try {
            if (simple.matches()) {
                long amount = Long.parseLong(simple.group(1));
                String unit = simple.group(2) == null ? "ms" : simple.group(2);
                return switch (unit) {
                    case "ns" -> Duration.ofNanos(amount);
                    case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofDays(amount);
                };
            }
            return Duration.parse(text);
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw invalid(name, text, "a duration such as 500ms, 5s, 2m or PT5S");
        }
    }

    public URI uri(String name, URI fallback) {
        Optional<String> value = find(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return URI.create(value.get().strip());
        } catch (IllegalArgumentException e) {
            throw invalid(name, value.get(), "a URL");
        }
    }

    /** A comma-separated list; blank entries are dropped. */
    public List<String> list(String name) {
        return find(name).map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    private static IllegalArgumentException invalid(String name, String value, String wanted) {
        return new IllegalArgumentException(name + ": '" + value + "' is not " + wanted);
    }
}
