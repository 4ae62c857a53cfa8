package dev.weft.auth;

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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web UI's signed-in sessions, held in this process's memory: each is a random cookie value (kept only as
 * its SHA-256), an expiry, and a CSRF token the UI sends back on every request that changes something. A restart
 * signs everyone out.
 */
public final class Sessions {

    public static final Duration LIFETIME_DEFAULT = Duration.ofHours(12);
    /** Sessions kept at most; the oldest are dropped past it, so sign-ins cannot fill the memory. */
    public static final int CAPACITY = 1_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A signed-in session: its CSRF token and when it ends. */
    public record Session(String csrfToken, Instant expiresAt) {}

    /** A new session: the cookie value to hand to the browser, and the session. */
    public record Created(String cookieValue, Session session) {}

    private final Map<String, Session> byDigest = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration lifetime;

    public Sessions(Clock clock, Duration lifetime) {
        this.clock = clock;
        this.lifetime = lifetime;
    }

    public Created create() {
        Instant now = clock.instant();
        if (byDigest.size() >= CAPACITY) prune(now);
        String value = random();
        Session session = new Session(random(), now.plus(lifetime));
        byDigest.put(digest(value), session);
        return new Created(value, session);
    }

    /** The live session of a cookie value; an expired one is forgotten. */
    public Optional<Session> find(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty()) return Optional.empty();
        String key = digest(cookieValue);
        Session session = byDigest.get(key);
        if (session == null) return Optional.empty();
        if (!clock.instant().isBefore(session.expiresAt())) {
            byDigest.remove(key);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    public void end(String cookieValue) {
        if (cookieValue != null) byDigest.remove(digest(cookieValue));
    }

    public Duration lifetime() {
        return lifetime;
    }

    int size() {
        return byDigest.size();
    }

    /** Drops expired sessions, then the soonest-ending ones until there is room for one more. */
    private synchronized void prune(Instant now) {
        byDigest.values().removeIf(s -> !now.isBefore(s.expiresAt()));
        while (byDigest.size() >= CAPACITY) {
            byDigest.entrySet().stream().min(Map.Entry.comparingByValue(
                            (a, b) -> a.expiresAt().compareTo(b.expiresAt())))
                    .ifPresent(oldest -> byDigest.remove(oldest.getKey()));
        }
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String digest(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
