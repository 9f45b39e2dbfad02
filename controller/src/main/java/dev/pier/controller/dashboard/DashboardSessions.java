package dev.pier.controller.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's signed-in browsers: a session is made by signing in with the cluster key and named by a random
 * 256-bit id (the cookie); it carries a CSRF token of its own, which every change must send back. Sessions live in
 * this controller's memory (a restart, or another controller, signs the browser out) and end after
 * {@code idle} without use, or at sign-out. Stored by the id's SHA-256, so the map holds no usable cookie.
 */
public final class DashboardSessions {
    /** One signed-in browser. */
    public record Session(String csrf, Instant created) {
    }

    private record Entry(Session session, Instant lastUsed) {
    }

    static final int MAX_SESSIONS = 10_000;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Clock clock;

    public DashboardSessions(Duration idle, Clock clock) {
        this.idle = idle;
        this.clock = clock;
    }

    public Duration idle() {
        return idle;
    }

    /** A new session: its id (for the cookie) and the session. */
    public Map.Entry<String, Session> create() {
        Instant now = clock.instant();
        sessions.values().removeIf(e -> expired(e, now));
        if (sessions.size() >= MAX_SESSIONS) {
            // the oldest-used go first
            sessions.entrySet().stream().sorted(Map.Entry.comparingByValue(
                    java.util.Comparator.comparing(Entry::lastUsed))).limit(sessions.size() - MAX_SESSIONS + 1L)
                    .map(Map.Entry::getKey).toList().forEach(sessions::remove);
        }
        String id = token();
        Session session = new Session(token(), now);
        sessions.put(hash(id), new Entry(session, now));
        return Map.entry(id, session);
    }

    /** The live session of cookie value {@code id}, marked as used now; null when none (unknown or idle too long). */
    public Session use(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return null;
        }
        Instant now = clock.instant();
        String key = hash(id);
        Entry entry = sessions.get(key);
        if (entry == null) {
            return null;
        }
        if (expired(entry, now)) {
            sessions.remove(key, entry);
            return null;
        }
        sessions.replace(key, entry, new Entry(entry.session(), now));
        return entry.session();
    }

    /** Ends the session of cookie value {@code id} (sign-out); nothing when there is none. */
    public void end(String id) {
        if (id != null) {
            sessions.remove(hash(id));
        }
    }

    /** Whether {@code given} is the session's CSRF token (in constant time). */
    public static boolean csrfMatches(Session session, String given) {
        return given != null && MessageDigest.isEqual(session.csrf().getBytes(StandardCharsets.UTF_8),
                given.strip().getBytes(StandardCharsets.UTF_8));
    }

    private boolean expired(Entry entry, Instant now) {
        return !entry.lastUsed().plus(idle).isAfter(now);
    }

    private String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String hash(String id) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
