package dev.pier.discoverd.registry;

import dev.pier.api.Names;
import dev.pier.web.ApiProblem;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/** Validation of discoverd's request input; every failure names the field. Pure. */
public final class Input {
    public static final int MAX_TTL_SECONDS = 300;
    public static final int MAX_META_ENTRIES = 64;
    private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9._\\-\\[\\]:]{1,253}$");

    private Input() {
    }

    public static String service(String service) {
        return name("service", service);
    }

    public static String id(String field, String id) {
        return name(field, id);
    }

    private static String name(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ApiProblem.badRequest(field, field + " is required");
        }
        if (!Names.SERVICE.matcher(value).matches()) {
            throw ApiProblem.badRequest(field, field + " '" + Names.printable(value) + "' is not valid: use 1-63 "
                    + "lower-case letters, digits, '-' or '.', starting with a letter or digit");
        }
        return value;
    }

    /** {@code host:port} with a port in 1..65535. */
    public static String address(String address) {
        if (address == null || address.isBlank()) {
            throw ApiProblem.badRequest("address", "address is required (host:port)");
        }
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? "" : address.substring(0, colon);
        String port = colon < 0 ? "" : address.substring(colon + 1);
        boolean portOk = port.matches("^[0-9]{1,5}$") && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
        if (host.isEmpty() || !HOST.matcher(host).matches() || !portOk) {
            throw ApiProblem.badRequest("address", "address '" + Names.printable(address)
                    + "' is not host:port with a port between 1 and 65535");
        }
        return address;
    }

    public static Map<String, String> meta(Map<String, String> meta) {
        if (meta == null) {
            return Map.of();
        }
        if (meta.size() > MAX_META_ENTRIES) {
            throw ApiProblem.badRequest("meta", "meta has " + meta.size() + " entries; at most " + MAX_META_ENTRIES);
        }
        for (Map.Entry<String, String> entry : meta.entrySet()) {
            String key = entry.getKey();
            if (key == null || key.isEmpty() || key.length() > 128) {
                throw ApiProblem.badRequest("meta", "meta keys must be 1-128 characters");
            }
            if (entry.getValue() == null) {
                throw ApiProblem.badRequest("meta." + key, "meta." + Names.printable(key) + " must be a string, not null");
            }
            if (entry.getValue().length() > 4096) {
                throw ApiProblem.badRequest("meta." + key, "meta." + Names.printable(key) + " is longer than 4096 characters");
            }
        }
        return meta;
    }

    public static Duration ttl(Integer ttlSeconds, Duration fallback) {
        if (ttlSeconds == null) {
            return fallback;
        }
        if (ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
            throw ApiProblem.badRequest("ttl_seconds", "ttl_seconds must be between 1 and " + MAX_TTL_SECONDS
                    + ", not " + ttlSeconds);
        }
        return Duration.ofSeconds(ttlSeconds);
    }
}
