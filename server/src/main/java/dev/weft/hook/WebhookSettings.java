package dev.weft.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.builtin.JsonataMapping;
import dev.weft.json.Json;
import dev.weft.node.Problems;
import java.time.Duration;
import java.util.Optional;

/**
 * What a webhook does with a request: the signature it checks (none, or one of the presets), the JSONata mapping of
 * {@code {body, query, headers}} to start inputs (none: the JSON body's fields are the inputs), how it answers
 * (accepted at once, or wait up to some seconds for the result) and its limits (body size, requests a second).
 * Read from the management API's JSON with every wrong field named, and written back in the same shape.
 */
public record WebhookSettings(Optional<SignatureCheck> signature, Optional<String> mapping, Answer answer,
                              long maxBodyBytes, RateLimit rateLimit) {

    public static final long MAX_BODY_DEFAULT = 1024 * 1024;
    public static final double PER_SECOND_DEFAULT = 20;
    public static final int BURST_DEFAULT = 40;
    public static final int MAPPING_MAX_CHARS = 10_000;
    public static final int WAIT_MAX_SECONDS = 300;

    /** How a webhook answers the sender. */
    public record Answer(boolean waits, Duration waitFor) {
        public static final Answer ACCEPTED = new Answer(false, Duration.ZERO);
    }

    /** A token bucket: {@code perSecond} requests a second on average, {@code burst} at once. */
    public record RateLimit(double perSecond, int burst) {}

    public static final WebhookSettings DEFAULT = new WebhookSettings(Optional.empty(), Optional.empty(),
            Answer.ACCEPTED, MAX_BODY_DEFAULT, new RateLimit(PER_SECOND_DEFAULT, BURST_DEFAULT));

    /**
     * The settings in {@code json} (fields absent take their defaults); every problem is added to {@code problems}
     * with its field, and the result is then meaningless. {@code bodyCap}: the server's own body limit.
     */
    public static WebhookSettings read(JsonNode json, long bodyCap, Problems problems) {
        Optional<SignatureCheck> signature = Optional.empty();
        JsonNode sig = json.get("signature");
        if (sig != null && !sig.isNull()) signature = SignatureCheck.read(sig, problems.at("signature"));
        Optional<String> mapping = Optional.empty();
        JsonNode map = json.get("mapping");
        if (map != null && !map.isNull() && !(map.isTextual() && map.asText().isBlank())) {
            if (!map.isTextual() || map.asText().length() > MAPPING_MAX_CHARS) {
                problems.add("mapping", "must be a JSONata expression of at most " + MAPPING_MAX_CHARS + " characters");
            } else {
                JsonataMapping.problem(map.asText()).ifPresent(p -> problems.add("mapping", "is not a JSONata expression: " + p));
                mapping = Optional.of(map.asText());
            }
        }
        Answer answer = answer(json.get("answer"), problems);
        long maxBody = MAX_BODY_DEFAULT > bodyCap ? bodyCap : MAX_BODY_DEFAULT;
        JsonNode max = json.get("max_body_bytes");
        if (max != null && !max.isNull()) {
            if (!max.isIntegralNumber() || max.asLong() < 1 || max.asLong() > bodyCap) {
                problems.add("max_body_bytes", "must be a whole number of bytes from 1 to " + bodyCap
                        + " (the server's body limit)");
            } else {
                maxBody = max.asLong();
            }
        }
        return new WebhookSettings(signature, mapping, answer, maxBody, rateLimit(json.get("rate_limit"), problems));
    }

    private static Answer answer(JsonNode json, Problems problems) {
        if (json == null || json.isNull()) return Answer.ACCEPTED;
        String mode = json.path("mode").asText("");
        if (!json.isObject() || !(mode.equals("accepted") || mode.equals("wait"))) {
            problems.add("answer.mode", "must be 'accepted' (202 with the task at once) or 'wait' (the result when"
                    + " done within wait_seconds, else 202)");
            return Answer.ACCEPTED;
        }
        if (mode.equals("accepted")) return Answer.ACCEPTED;
        JsonNode seconds = json.get("wait_seconds");
        if (seconds == null || !seconds.isNumber() || !(seconds.asDouble() > 0) || seconds.asDouble() > WAIT_MAX_SECONDS) {
            problems.add("answer.wait_seconds", "must be a number of seconds above 0 and at most " + WAIT_MAX_SECONDS);
            return Answer.ACCEPTED;
        }
        return new Answer(true, Duration.ofMillis((long) (seconds.asDouble() * 1000)));
    }

    private static RateLimit rateLimit(JsonNode json, Problems problems) {
        if (json == null || json.isNull()) return new RateLimit(PER_SECOND_DEFAULT, BURST_DEFAULT);
        JsonNode perSecond = json.get("per_second");
        JsonNode burst = json.get("burst");
        boolean ok = true;
        if (perSecond == null || !perSecond.isNumber() || !(perSecond.asDouble() > 0) || perSecond.asDouble() > 100_000) {
            problems.add("rate_limit.per_second", "must be a number of requests a second above 0 and at most 100000");
            ok = false;
        }
        if (burst != null && !burst.isNull() && (!burst.isIntegralNumber() || burst.asInt() < 1 || burst.asInt() > 100_000)) {
            problems.add("rate_limit.burst", "must be a whole number of requests from 1 to 100000");
            ok = false;
        }
        if (!ok) return new RateLimit(PER_SECOND_DEFAULT, BURST_DEFAULT);
        int bucket = burst == null || burst.isNull() ? (int) Math.max(1, Math.ceil(perSecond.asDouble() * 2)) : burst.asInt();
        return new RateLimit(perSecond.asDouble(), bucket);
    }

    /** The settings as the API shows and the store keeps them (no secret: only the credential's name). */
    public ObjectNode json() {
        ObjectNode json = Json.object();
        if (signature.isPresent()) json.set("signature", signature.get().json());
        else json.putNull("signature");
        if (mapping.isPresent()) json.put("mapping", mapping.get());
        else json.putNull("mapping");
        ObjectNode answerJson = json.putObject("answer").put("mode", answer.waits() ? "wait" : "accepted");
        if (answer.waits()) answerJson.put("wait_seconds", answer.waitFor().toMillis() / 1000.0);
        json.put("max_body_bytes", maxBodyBytes);
        json.putObject("rate_limit").put("per_second", rateLimit.perSecond()).put("burst", rateLimit.burst());
        return json;
    }
}
