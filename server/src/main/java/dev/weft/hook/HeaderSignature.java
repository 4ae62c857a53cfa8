package dev.weft.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.Problems;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/** A static secret in a named header (as senders that cannot sign do), compared in constant time. */
public record HeaderSignature(String secretCredential, String header) implements SignatureCheck {

    static Optional<SignatureCheck> read(String credential, JsonNode json, Problems problems) {
        return Optional.of(new HeaderSignature(credential, SignatureCheck.headerName(json, null, problems)));
    }

    @Override
    public Optional<String> verify(HookRequest request, byte[] secret, Instant now) {
        String given = request.header().apply(header);
        if (given == null || !Hmacs.textEquals(new String(secret, StandardCharsets.UTF_8), given.strip())) {
            throw SignatureCheck.refused(header, "the request does not carry the webhook's secret in " + header);
        }
        return Optional.empty();
    }

    @Override
    public ObjectNode json() {
        return SignatureCheck.json("header", secretCredential).put("header", header);
    }
}
