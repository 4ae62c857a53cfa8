package dev.weft.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.http.ApiException;
import dev.weft.json.Json;
import dev.weft.node.Problems;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a webhook checks that a request comes from who shares its secret: GitHub's {@code X-Hub-Signature-256}, Stripe's
 * {@code Stripe-Signature} (with a timestamp tolerance), a generic HMAC of the body in a named header, or a static
 * header value. The secret is a stored credential's, named by {@link #secretCredential()}; every comparison takes
 * the same time whatever the bytes.
 */
public sealed interface SignatureCheck permits GithubSignature, StripeSignature, HmacSignature, HeaderSignature {

    Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
    Pattern CREDENTIAL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");

    /** The stored credential whose secret (an {@code api_key} or {@code bearer}) is the shared secret. */
    String secretCredential();

    /**
     * Checks {@code request} against {@code secret} at {@code now}: 401 (problem+json naming the header) when the
     * signature is missing, wrong or out of its time; else the delivery's replay key, when the preset has one.
     */
    Optional<String> verify(HookRequest request, byte[] secret, Instant now);

    /** How long a delivery's replay key is remembered. */
    default Duration replayWindow() {
        return Duration.ZERO;
    }

    /** The check as the API shows it. */
    ObjectNode json();

    /** The check described by {@code json}, each wrong field named in {@code problems}. */
    static Optional<SignatureCheck> read(JsonNode json, Problems problems) {
        if (!json.isObject()) {
            problems.add("", "must be an object such as {\"preset\": \"github\", \"secret_credential\": \"github-hook\"}");
            return Optional.empty();
        }
        String credential = json.path("secret_credential").asText("");
        if (!CREDENTIAL_NAME.matcher(credential).matches()) {
            problems.add("secret_credential", "is required: the name of a stored credential (api_key or bearer) whose"
                    + " secret is the shared secret");
        }
        String preset = json.path("preset").asText("");
        return switch (preset) {
            case "github" -> Optional.of(new GithubSignature(credential));
            case "stripe" -> StripeSignature.read(credential, json, problems);
            case "hmac" -> HmacSignature.read(credential, json, problems);
            case "header" -> HeaderSignature.read(credential, json, problems);
            default -> {
                problems.add("preset", "must be one of github, stripe, hmac, header (got '" + preset + "')");
                yield Optional.empty();
            }
        };
    }

    /** A header name given in {@code json.header}, or {@code fallback} when absent; problems name a bad one. */
    static String headerName(JsonNode json, String fallback, Problems problems) {
        JsonNode header = json.get("header");
        if (header == null || header.isNull()) {
            if (fallback == null) problems.add("header", "is required: the name of the header that carries it");
            return fallback;
        }
        if (!header.isTextual() || !HEADER_NAME.matcher(header.asText()).matches()) {
            problems.add("header", "must be a header name (letters, digits and -)");
            return fallback;
        }
        return header.asText();
    }

    /** The base of every check's JSON. */
    static ObjectNode json(String preset, String credential) {
        return Json.object().put("preset", preset).put("secret_credential", credential);
    }

    /** The 401 of a request whose signature does not check. */
    static ApiException refused(String header, String detail) {
        return new ApiException(ApiException.Kind.UNAUTHORIZED, header, detail);
    }
}
