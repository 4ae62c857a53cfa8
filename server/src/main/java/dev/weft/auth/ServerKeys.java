package dev.weft.auth;

import dev.weft.http.ApiException;
import dev.weft.store.JdbcKeyStore;
import dev.weft.store.KeyRecord;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server keys: made with a 256-bit random secret and shown once as {@code base64(<uuid>:<secret>)}, ready to paste
 * after {@code Basic }; stored only as the secret's SHA-256 hash and compared in constant time.
 */
public final class ServerKeys {

    public static final int SECRET_BYTES = 32;
    /** How long a looked-up key is trusted before it is read again (a revocation elsewhere takes this long). */
    public static final Duration CACHE_TTL = Duration.ofSeconds(2);
    /** {@code last_used_at} is written at most this often per key, so using a key never costs a write. */
    public static final Duration TOUCH_EVERY = Duration.ofSeconds(30);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key just made: its record and the key itself, which is never shown again. */
    public record Created(KeyRecord record, String key) {}

    private record Cached(KeyRecord record, Instant readAt) {}

    private final JdbcKeyStore store;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Instant> touched = new ConcurrentHashMap<>();

    public ServerKeys(JdbcKeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Created create(String name, Instant expiresAt, List<Long> flowIds) {
        return create(name, expiresAt, flowIds, dev.weft.store.Database.DEFAULT_WORKSPACE);
    }

    /** A new key acting in workspace {@code workspaceId} (its flow ids are that workspace's). */
    public Created create(String name, Instant expiresAt, List<Long> flowIds, long workspaceId) {
        String id = UUID.randomUUID().toString();
        byte[] secretBytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secretBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        KeyRecord record = store.create(id, name, hash(secret), expiresAt, flowIds, workspaceId);
        String key = Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return new Created(record, key);
    }

    public List<KeyRecord> list() {
        return store.list();
    }

    /** The keys of one workspace. */
    public List<KeyRecord> list(long workspaceId) {
        return store.list(workspaceId);
    }

    public boolean revoke(String id) {
        boolean revoked = store.revoke(id);
        cache.remove(id);
        return revoked;
    }

    /** The key named by an {@code Authorization: Basic ...} header, or 401 saying what is wrong. */
    public KeyRecord authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("send the server key as 'Authorization: Basic <key>'");
        }
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw unauthorized("the Authorization header must use the Basic scheme with a server key");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw unauthorized("the server key is not valid base64");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) throw unauthorized("the server key is garbled (expected base64 of <id>:<secret>)");
        String id = decoded.substring(0, colon);
        String secret = decoded.substring(colon + 1);
        Instant now = clock.instant();
        KeyRecord record = lookup(id, now);
        if (record == null || !MessageDigest.isEqual(hash(secret).getBytes(StandardCharsets.US_ASCII),
                record.secretHash().getBytes(StandardCharsets.US_ASCII))) {
            throw unauthorized("unknown server key");
        }
        if (record.revokedAt() != null) throw unauthorized("this server key was revoked");
        if (!record.usableAt(now)) throw unauthorized("this server key expired at " + record.expiresAt());
        Instant last = touched.get(id);
        if (last == null || Duration.between(last, now).compareTo(TOUCH_EVERY) >= 0) {
            touched.put(id, now);
            store.touch(id, now);
        }
        return record;
    }

    private KeyRecord lookup(String id, Instant now) {
        Cached cached = cache.get(id);
        if (cached != null && Duration.between(cached.readAt(), now).compareTo(CACHE_TTL) < 0) return cached.record();
        KeyRecord record = store.find(id).orElse(null);
        if (record != null) cache.put(id, new Cached(record, now));
        return record;
    }

    private static ApiException unauthorized(String detail) {
        return new ApiException(ApiException.Kind.UNAUTHORIZED, "Authorization", detail);
    }

    /** One digest per thread: looking a provider up for each request costs more than the hash itself. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    });

    static String hash(String secret) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
    }
}
