package dev.pier.api;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The naming rules of Pier's objects, as pure checks. Each {@code problem...} method returns why a value
 * is not acceptable, or empty when it is; callers at the edge turn that into a 400 naming the field.
 */
public final class Names {
    /** Also the first label of the app's default domain, so it ends as a DNS label must: not with '-'. */
    public static final Pattern APP = Pattern.compile("^[a-z]([a-z0-9-]{0,28}[a-z0-9])?$");
    public static final Pattern ENV = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
    public static final Pattern PROCESS = Pattern.compile("^[a-z][a-z0-9_-]{0,29}$");
    public static final Pattern SERVICE = Pattern.compile("^[a-z0-9][a-z0-9-.]{0,62}$");
    private static final Pattern LABEL = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");

    public static final int MAX_ENV_NAME = 255;
    public static final int MAX_ENV_VALUE = 32 * 1024;

    private Names() {
    }

    public static Optional<String> problemWithApp(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("app name is required");
        }
        if (!APP.matcher(name).matches()) {
            return Optional.of("app name '" + printable(name) + "' is invalid: use 1 to 30 lowercase letters, "
                    + "digits and dashes, starting with a letter and not ending with a dash");
        }
        return Optional.empty();
    }

    public static Optional<String> problemWithEnvName(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("config var name is empty");
        }
        if (name.length() > MAX_ENV_NAME || !ENV.matcher(name).matches()) {
            return Optional.of("config var name '" + printable(name) + "' is invalid: use letters, digits and "
                    + "underscores, not starting with a digit");
        }
        return Optional.empty();
    }

    public static Optional<String> problemWithEnvValue(String name, String value) {
        if (value != null && value.length() > MAX_ENV_VALUE) {
            return Optional.of("config var " + name + " is longer than " + MAX_ENV_VALUE + " characters");
        }
        if (value != null && value.indexOf('\0') >= 0) {
            return Optional.of("config var " + name + " contains a NUL character");
        }
        return Optional.empty();
    }

    public static Optional<String> problemWithProcessType(String name) {
        if (name == null || !PROCESS.matcher(name).matches()) {
            return Optional.of("process type '" + printable(String.valueOf(name)) + "' is invalid: use 1 to 30 "
                    + "lowercase letters, digits, '-' and '_', starting with a letter");
        }
        return Optional.empty();
    }

    public static Optional<String> problemWithService(String name) {
        if (name == null || !SERVICE.matcher(name).matches()) {
            return Optional.of("service name '" + printable(String.valueOf(name)) + "' is invalid: use 1 to 63 "
                    + "lowercase letters, digits, '-' and '.', starting with a letter or digit");
        }
        return Optional.empty();
    }

    /** A DNS host name (RFC 1123), compared lowercased; a leading {@code *.} wildcard label is allowed. */
    public static Optional<String> problemWithDomain(String domain) {
        if (domain == null || domain.isEmpty()) {
            return Optional.of("domain is required");
        }
        String d = domain.toLowerCase(Locale.ROOT);
        String bad = "domain '" + printable(domain) + "' is not a valid host name";
        if (d.length() > 253 || d.endsWith(".") || d.startsWith(".")) {
            return Optional.of(bad);
        }
        String[] labels = d.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            if (i == 0 && labels[i].equals("*") && labels.length > 2) {
                continue;
            }
            if (!LABEL.matcher(labels[i]).matches()) {
                return Optional.of(bad);
            }
        }
        return Optional.empty();
    }

    /** Whether a count of jobs for one process type is acceptable. */
    public static Optional<String> problemWithCount(String processType, Integer count) {
        if (count == null || count < 0 || count > 100) {
            return Optional.of("count for process type '" + printable(String.valueOf(processType))
                    + "' must be between 0 and 100, not " + count);
        }
        return Optional.empty();
    }

    /** The discoverd service of an app's web jobs, which its routes point at and the router sends requests to. */
    public static String webService(String app) {
        return app + "-web";
    }

    /** The memory limits a process type's jobs may have, in MB. */
    public static final int MIN_MEMORY_MB = 32;
    public static final int MAX_MEMORY_MB = 65536;

    /** Whether a process type's memory limit (MB) is acceptable. */
    public static Optional<String> problemWithMemory(String processType, Integer memoryMb) {
        if (memoryMb == null || memoryMb < MIN_MEMORY_MB || memoryMb > MAX_MEMORY_MB) {
            return Optional.of("memory for process type '" + printable(String.valueOf(processType))
                    + "' must be between " + MIN_MEMORY_MB + " and " + MAX_MEMORY_MB + " MB, not " + memoryMb);
        }
        return Optional.empty();
    }

    /** Shows user input in an error message without control characters and at a bounded length. */
    public static String printable(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(64).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        if (value.codePointCount(0, value.length()) > 64) {
            out.append('…');
        }
        return out.toString();
    }
}
