package dev.weft.run;

import dev.weft.auth.Caller;
import dev.weft.http.ApiException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.store.JdbcIdempotencyKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * {@code Idempotency-Key} on execute, with Stripe's semantics: within {@link #WINDOW_DEFAULT} the same key (per
 * server key) with the same request answers with the task the first request made, and with a different request
 * (another flow or body) is refused (409). Only an accepted request is remembered: one refused before a task
 * existed (400, 401, 429...) may be sent again with the same key.
 */
public final class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    public static final Duration WINDOW_DEFAULT = Duration.ofHours(24);
    public static final int KEY_MAX = 255;

    /** An execute request with a key: where the key lives, the key, and the request's hash. */
    public record Request(String scope, String key, String hash) {}

    private final JdbcIdempotencyKeys keys;

    public Idempotency(JdbcIdempotencyKeys keys) {
        this.keys = keys;
    }

    /** The request's key and hash, or null when it has no {@code Idempotency-Key}; 400 for a malformed key. */
    public Request of(Caller caller, String header, long flowId, ObjectNode body) {
        if (header == null) return null;
        if (header.isEmpty() || header.length() > KEY_MAX || !header.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, HEADER,
                    "must be 1 to " + KEY_MAX + " printable ASCII characters without spaces (a UUID fits)");
        }
        return new Request(caller.scope(), header, hash(flowId, body));
    }

    /** The task of an earlier request with this key, if any; 409 when that request was a different one. */
    public Optional<Long> earlierTask(Request request) {
        return keys.find(request.scope(), request.key()).map(entry -> {
            check(request, entry);
            return entry.taskId();
        });
    }

    /** Claims the key in the accept's transaction. */
    public JdbcIdempotencyKeys.Claim claim(Request request) {
        return keys.claim(request.scope(), request.key(), request.hash());
    }

    /** 409 unless the entry was made by the same request. */
    public void check(Request request, JdbcIdempotencyKeys.Entry entry) {
        if (!entry.requestHash().equals(request.hash())) {
            throw new ApiException(ApiException.Kind.IDEMPOTENCY_KEY_REUSED, HEADER, "Idempotency-Key '"
                    + request.key() + "' was used with a different request (it made task " + entry.taskId()
                    + "); use a new key for a new request");
        }
    }

    /** SHA-256 of the flow id and the body with its object keys sorted, so that key order does not matter. */
    static String hash(long flowId, JsonNode body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((flowId + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(Json.bytes(canonical(body)));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            ObjectNode sorted = Json.object();
            for (String name : names) sorted.set(name, canonical(node.get(name)));
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode list = Json.MAPPER.createArrayNode();
            node.forEach(item -> list.add(canonical(item)));
            return list;
        }
        return node;
    }
}
