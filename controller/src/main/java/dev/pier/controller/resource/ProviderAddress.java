package dev.pier.controller.resource;

import dev.pier.api.Names;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a provider's API is: a fixed {@code http(s)://host:port[/path]} URL, or {@code discoverd+http://SERVICE},
 * a live instance of that discoverd service, looked up at each call (so a provider that moves is still found).
 *
 * @param fixed   the URL, when fixed
 * @param service the discoverd service, when looked up
 */
public record ProviderAddress(URI fixed, String service) {
    public static final String DISCOVERD_SCHEME = "discoverd+http://";
    private static final Pattern NAME = Names.APP;
    private static final int MAX_URL = 2048;

    /** A provider's name: as apps are named (it is typed after {@code pier resource add}). */
    public static Optional<String> problemWithName(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("provider name is required");
        }
        if (!NAME.matcher(name).matches()) {
            return Optional.of("provider name '" + Names.printable(name) + "' is invalid: use 1 to 30 lowercase "
                    + "letters, digits and dashes, starting with a letter and not ending with a dash");
        }
        return Optional.empty();
    }

    /** The address {@code url} names, or a message saying what is wrong with it. */
    public static Parsed parse(String url) {
        if (url == null || url.isBlank()) {
            return Parsed.problem("url is required: http://HOST:PORT or " + DISCOVERD_SCHEME + "SERVICE");
        }
        if (url.length() > MAX_URL) {
            return Parsed.problem("url is longer than " + MAX_URL + " characters");
        }
        if (url.toLowerCase(Locale.ROOT).startsWith(DISCOVERD_SCHEME)) {
            String service = url.substring(DISCOVERD_SCHEME.length());
            if (service.endsWith("/")) {
                service = service.substring(0, service.length() - 1);
            }
            Optional<String> problem = Names.problemWithService(service);
            if (problem.isPresent()) {
                return Parsed.problem("url '" + Names.printable(url) + "': " + problem.get());
            }
            return new Parsed(new ProviderAddress(null, service), null);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            return Parsed.problem("url '" + Names.printable(url) + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            return Parsed.problem("url '" + Names.printable(url) + "' is neither http(s)://HOST[:PORT] nor "
                    + DISCOVERD_SCHEME + "SERVICE");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            return Parsed.problem("url '" + Names.printable(url) + "' must have no user, query or fragment "
                    + "(the provider gets the cluster key)");
        }
        return new Parsed(new ProviderAddress(uri, null), null);
    }

    /** An address, or why there is none. */
    public record Parsed(ProviderAddress address, String problem) {
        static Parsed problem(String problem) {
            return new Parsed(null, problem);
        }
    }
}
