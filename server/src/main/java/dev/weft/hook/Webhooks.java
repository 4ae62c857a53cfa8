package dev.weft.hook;

import dev.weft.store.JdbcWebhookStore;
import dev.weft.store.WebhookRecord;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Webhook triggers and their tokens: a token is 256 random bits (shown once, at creation or rotation), stored only
 * as its SHA-256; a request's token is found by that hash. Live webhooks found by token are kept for
 * {@link #CACHE_TTL} so that a busy hook costs no read; every change made here drops them at once (another process
 * sharing the database sees a revocation within the TTL).
 */
public final class Webhooks {

    public static final int TOKEN_BYTES = 32;
    public static final String TOKEN_PREFIX = "whk_";
    public static final Duration CACHE_TTL = Duration.ofSeconds(2);
    /** What a token looks like; anything else is not looked up. */
    static final Pattern TOKEN = Pattern.compile(TOKEN_PREFIX + "[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A webhook just made or given a new token: its record and the token, which is never shown again. */
    public record WithToken(WebhookRecord record, String token) {}

    private record Cached(Optional<WebhookRecord> webhook, Instant readAt) {}

    private final JdbcWebhookStore store;
    private final Clock clock;
    private final Map<String, Cached> byToken = new ConcurrentHashMap<>();

    public Webhooks(JdbcWebhookStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public JdbcWebhookStore store() {
        return store;
    }

    public WithToken create(long flowId, String name, WebhookSettings settings) {
        String token = newToken();
        String id = "wh_" + HexFormat.of().formatHex(random(8));
        return new WithToken(store.create(id, flowId, name, hash(token), settings.json()), token);
    }

    public Optional<WithToken> rotate(String id) {
        String token = newToken();
        Optional<WebhookRecord> rotated = store.rotate(id, hash(token));
        byToken.clear();
        return rotated.map(record -> new WithToken(record, token));
    }

    public Optional<WebhookRecord> update(String id, String name, WebhookSettings settings) {
        Optional<WebhookRecord> updated = store.update(id, name, settings.json());
        byToken.clear();
        return updated;
    }

    public boolean revoke(String id) {
        boolean revoked = store.revoke(id);
        byToken.clear();
        return revoked;
    }

    public boolean delete(String id) {
        boolean deleted = store.delete(id);
        byToken.clear();
        return deleted;
    }

    public Optional<WebhookRecord> find(String id) {
        return store.find(id);
    }

    public List<WebhookRecord> ofFlow(long flowId) {
        return store.ofFlow(flowId);
    }

    /** The live webhook with this token; empty for a malformed, unknown or revoked token alike. */
    public Optional<WebhookRecord> live(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) return Optional.empty();
        String hash = hash(token);
        Instant now = clock.instant();
        Cached cached = byToken.get(hash);
        if (cached == null || cached.readAt().plus(CACHE_TTL).isBefore(now)) {
            if (byToken.size() > 10_000) byToken.clear();   // a flood of unknown tokens cannot grow it without bound
            cached = new Cached(store.findByToken(hash).filter(WebhookRecord::live), now);
            byToken.put(hash, cached);
        }
        return cached.webhook();
    }

    static String hash(String token) {
        return HexFormat.of().formatHex(Hmacs.sha256(token.getBytes(StandardCharsets.UTF_8)));
    }

    private static String newToken() {
        return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random(TOKEN_BYTES));
    }

    private static byte[] random(int bytes) {
        byte[] out = new byte[bytes];
        RANDOM.nextBytes(out);
        return out;
    }
}
