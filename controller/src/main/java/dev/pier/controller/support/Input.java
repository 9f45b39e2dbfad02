package dev.pier.controller.support;

import dev.pier.api.Names;
import dev.pier.web.ApiProblem;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Edge validation: each check throws a 400 problem naming the field, or returns the clean value. */
public final class Input {
    public static final int MAX_META_ENTRIES = 64;
    public static final int MAX_ENV_ENTRIES = 1000;

    private Input() {
    }

    public static <T> T required(String field, T value) {
        if (value == null) {
            throw ApiProblem.badRequest(field, field + " is required");
        }
        return value;
    }

    public static void check(String field, Optional<String> problem) {
        problem.ifPresent(detail -> {
            throw ApiProblem.badRequest(field, detail);
        });
    }

    public static String appName(String field, String name) {
        check(field, Names.problemWithApp(name));
        return name;
    }

    public static UUID uuid(String field, String value) {
        try {
            return UUID.fromString(required(field, value));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(field, field + " '" + Names.printable(value) + "' is not a valid id");
        }
    }

    /** Free-form metadata: bounded, printable keys and values. */
    public static Map<String, String> meta(String field, Map<String, String> meta) {
        if (meta == null) {
            return Map.of();
        }
        if (meta.size() > MAX_META_ENTRIES) {
            throw ApiProblem.badRequest(field, field + " has more than " + MAX_META_ENTRIES + " entries");
        }
        Map<String, String> clean = new LinkedHashMap<>();
        meta.forEach((key, value) -> {
            if (key == null || key.isEmpty() || key.length() > 100 || key.chars().anyMatch(Character::isISOControl)) {
                throw ApiProblem.badRequest(field, field + " key '" + Names.printable(String.valueOf(key))
                        + "' must be 1 to 100 printable characters");
            }
            if (value == null) {
                throw ApiProblem.badRequest(field + "." + key, field + "." + key + " must be a string, not null");
            }
            if (value.length() > 4096 || value.indexOf('\0') >= 0) {
                throw ApiProblem.badRequest(field + "." + key, field + "." + key
                        + " must be at most 4096 characters with no NUL");
            }
            clean.put(key, value);
        });
        return clean;
    }

    /** Config vars: valid names, bounded values. */
    public static Map<String, String> env(String field, Map<String, String> env) {
        if (env == null) {
            return Map.of();
        }
        if (env.size() > MAX_ENV_ENTRIES) {
            throw ApiProblem.badRequest(field, field + " has more than " + MAX_ENV_ENTRIES + " config vars");
        }
        env.forEach((name, value) -> {
            check(field, Names.problemWithEnvName(name));
            if (value == null) {
                throw ApiProblem.badRequest(field + "." + name, "config var " + name + " has no value");
            }
            check(field + "." + name, Names.problemWithEnvValue(name, value));
        });
        return new LinkedHashMap<>(env);
    }
}
