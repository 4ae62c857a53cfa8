package dev.weft.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.Problems;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A generic HMAC of the raw body in a named header: {@code <prefix><hex or base64 of HMAC(secret, body)>}, with
 * SHA-256 (or SHA-1 or SHA-512 for senders that use them).
 */
public record HmacSignature(String secretCredential, String header, String algorithm, String encoding, String prefix)
        implements SignatureCheck {

    public static final String HEADER_DEFAULT = "X-Signature";
    private static final Map<String, String> ALGORITHMS = Map.of("sha256", "HmacSHA256", "sha1", "HmacSHA1",
            "sha512", "HmacSHA512");

    static Optional<SignatureCheck> read(String credential, JsonNode json, Problems problems) {
        String header = SignatureCheck.headerName(json, HEADER_DEFAULT, problems);
        String algorithm = json.path("algorithm").asText("sha256");
        if (!ALGORITHMS.containsKey(algorithm)) {
            problems.add("algorithm", "must be sha256, sha1 or sha512 (got '" + algorithm + "')");
        }
        String encoding = json.path("encoding").asText("hex");
        if (!encoding.equals("hex") && !encoding.equals("base64")) {
            problems.add("encoding", "must be hex or base64 (got '" + encoding + "')");
        }
        JsonNode prefix = json.get("prefix");
        if (prefix != null && !prefix.isNull() && (!prefix.isTextual() || prefix.asText().length() > 50)) {
            problems.add("prefix", "must be a string of at most 50 characters, such as 'sha256='");
        }
        return Optional.of(new HmacSignature(credential, header, algorithm, encoding,
                prefix == null || prefix.isNull() ? "" : prefix.asText()));
    }

    @Override
    public Optional<String> verify(HookRequest request, byte[] secret, Instant now) {
        String given = request.header().apply(header);
        if (given == null || !given.startsWith(prefix)) {
            throw SignatureCheck.refused(header, "the request is not signed: send " + header + ": " + prefix + "<"
                    + encoding + " HMAC-" + algorithm.toUpperCase(java.util.Locale.ROOT) + " of the body>");
        }
        byte[] expected = Hmacs.hmac(ALGORITHMS.get(algorithm), secret, request.body());
        String value = given.substring(prefix.length());
        boolean ok = encoding.equals("hex") ? Hmacs.hexEquals(expected, value) : Hmacs.base64Equals(expected, value);
        if (!ok) throw SignatureCheck.refused(header, "the signature does not match the body and the webhook's secret");
        return Optional.empty();
    }

    @Override
    public ObjectNode json() {
        return SignatureCheck.json("hmac", secretCredential).put("header", header).put("algorithm", algorithm)
                .put("encoding", encoding).put("prefix", prefix);
    }
}
