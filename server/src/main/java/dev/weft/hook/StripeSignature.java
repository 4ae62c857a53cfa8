package dev.weft.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.Problems;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stripe's webhook signature: {@code Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=...]}, where each {@code v1}
 * may be {@code HMAC-SHA256(secret, t + "." + raw body)}; the timestamp must be within {@code tolerance} of now
 * (either side), and a delivery (its timestamp and signature) is accepted once: a replay within twice the tolerance
 * is refused, and an older one fails the timestamp check.
 */
public record StripeSignature(String secretCredential, Duration tolerance) implements SignatureCheck {

    public static final String HEADER = "Stripe-Signature";
    public static final Duration TOLERANCE_DEFAULT = Duration.ofSeconds(300);
    public static final long TOLERANCE_MAX_SECONDS = 3600;

    static Optional<SignatureCheck> read(String credential, JsonNode json, Problems problems) {
        JsonNode tolerance = json.get("tolerance_seconds");
        if (tolerance == null || tolerance.isNull()) return Optional.of(new StripeSignature(credential, TOLERANCE_DEFAULT));
        if (!tolerance.isIntegralNumber() || tolerance.asLong() < 1 || tolerance.asLong() > TOLERANCE_MAX_SECONDS) {
            problems.add("tolerance_seconds", "must be a whole number of seconds from 1 to " + TOLERANCE_MAX_SECONDS);
            return Optional.empty();
        }
        return Optional.of(new StripeSignature(credential, Duration.ofSeconds(tolerance.asLong())));
    }

    @Override
    public Optional<String> verify(HookRequest request, byte[] secret, Instant now) {
        String header = request.header().apply(HEADER);
        String timestamp = null;
        List<String> signatures = new ArrayList<>();
        if (header != null) {
            for (String part : header.split(",")) {
                int eq = part.indexOf('=');
                if (eq < 0) continue;
                String key = part.substring(0, eq).trim();
                String value = part.substring(eq + 1).trim();
                if (key.equals("t")) timestamp = value;
                else if (key.equals("v1")) signatures.add(value);
            }
        }
        if (timestamp == null || signatures.isEmpty()) {
            throw SignatureCheck.refused(HEADER, "the request is not signed: send " + HEADER + ": t=<unix seconds>,"
                    + "v1=<hex HMAC-SHA256 of t.body>");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw SignatureCheck.refused(HEADER, "the timestamp t must be whole Unix seconds (got '" + timestamp + "')");
        }
        byte[] expected = Hmacs.hmac("HmacSHA256", secret, (timestamp + ".").getBytes(StandardCharsets.UTF_8),
                request.body());
        String matched = null;
        for (String signature : signatures) {
            if (Hmacs.hexEquals(expected, signature) && matched == null) matched = signature;
        }
        if (matched == null) {
            throw SignatureCheck.refused(HEADER, "no v1 signature matches the timestamp, the body and the webhook's secret");
        }
        long age = now.getEpochSecond() - seconds;
        if (Math.abs(age) > tolerance.toSeconds()) {
            throw SignatureCheck.refused(HEADER, "the timestamp t=" + seconds + " is " + Math.abs(age) + " s "
                    + (age > 0 ? "old" : "in the future") + "; the webhook accepts " + tolerance.toSeconds()
                    + " s either side of its clock (" + now.getEpochSecond() + ")");
        }
        return Optional.of("stripe:" + seconds + ":" + matched.toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public Duration replayWindow() {
        return tolerance.multipliedBy(2);
    }

    @Override
    public ObjectNode json() {
        return SignatureCheck.json("stripe", secretCredential).put("tolerance_seconds", tolerance.toSeconds());
    }
}
