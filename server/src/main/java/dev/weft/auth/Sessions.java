package dev.weft.auth;

import dev.weft.store.JdbcSessionStore;
import dev.weft.store.SessionRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The web UI's signed-in sessions, kept in the database so every process sharing it and every restart knows them:
 * each is a random cookie value (stored only as its SHA-256), a CSRF token the UI sends back on every request that
 * changes something, an idle limit and an absolute end. A new session is made at every sign-in (the cookie a
 * browser brought is never promoted, so a planted cookie cannot be fixed onto a victim).
 */
public final class Sessions {

    /** How long a session lives at most, however busy. */
    public static final Duration LIFETIME_DEFAULT = Duration.ofHours(12);
    /** How long a session lives without a request. */
    public static final Duration IDLE_DEFAULT = Duration.ofHours(2);
    /** A session's last use is written at most this often, so reading the API costs no write per request. */
    public static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new session: the cookie value to hand to the browser, and the session. */
    public record Created(String cookieValue, SessionRecord session) {}

    private final JdbcSessionStore store;
    private final Clock clock;
    private final Duration lifetime;
    private final Duration idle;

    public Sessions(JdbcSessionStore store, Clock clock, Duration lifetime, Duration idle) {
        this.store = store;
        this.clock = clock;
        this.lifetime = lifetime;
        this.idle = idle;
    }

    public Created create(long userId, String address, String userAgent) {
        Instant now = clock.instant();
        String value = random();
        SessionRecord session = new SessionRecord(UUID.randomUUID().toString(), userId, random(), now, now,
                now.plus(lifetime), address, userAgent == null ? null : userAgent.substring(0, Math.min(200, userAgent.length())));
        long workspace = store.create(session, digest(value));
        return new Created(value, new SessionRecord(session.id(), session.userId(), session.csrfToken(),
                session.createdAt(), session.lastSeenAt(), session.expiresAt(), session.address(), session.userAgent(),
                workspace));
    }

    /** The live session of a cookie value (its user enabled); its last use is recorded now and then. */
    public Optional<SessionRecord> find(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty()) return Optional.empty();
        Instant now = clock.instant();
        Optional<SessionRecord> session = store.findLive(digest(cookieValue), now, now.minus(idle));
        session.ifPresent(s -> {
            if (Duration.between(s.lastSeenAt(), now).compareTo(TOUCH_EVERY) >= 0) store.touch(s.id(), now);
        });
        return session;
    }

    public void end(String cookieValue) {
        if (cookieValue != null && !cookieValue.isEmpty()) store.deleteBySecret(digest(cookieValue));
    }

    /** Ends one of a user's sessions by its id; false when the user has none with that id. */
    public boolean end(long userId, String sessionId) {
        return store.delete(userId, sessionId);
    }

    /** Ends every session of a user (password changed, disabled). */
    public int endAll(long userId) {
        return store.deleteAll(userId);
    }

    /** Makes {@code workspaceId} the session's current workspace; false unless its user is a member there. */
    public boolean switchWorkspace(long userId, String sessionId, long workspaceId) {
        return store.switchWorkspace(userId, sessionId, workspaceId);
    }

    public List<SessionRecord> list(long userId) {
        Instant now = clock.instant();
        return store.listLive(userId, now, now.minus(idle));
    }

    /** Forgets sessions that ended; how many. */
    public int prune() {
        Instant now = clock.instant();
        return store.deleteDead(now, now.minus(idle));
    }

    public Duration lifetime() {
        return lifetime;
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String digest(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
