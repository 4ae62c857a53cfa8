package dev.weft.hook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * GitHub's webhook signature: {@code X-Hub-Signature-256: sha256=<hex of HMAC-SHA256(secret, raw body)>}. GitHub
 * signs no timestamp, so a replay is recognised by its {@code X-GitHub-Delivery} id (when sent), remembered for
 * {@link #REPLAY_WINDOW}.
 */
public record GithubSignature(String secretCredential) implements SignatureCheck {

    public static final String HEADER = "X-Hub-Signature-256";
    public static final String DELIVERY_HEADER = "X-GitHub-Delivery";
    public static final Duration REPLAY_WINDOW = Duration.ofDays(1);
    private static final String PREFIX = "sha256=";

    @Override
    public Optional<String> verify(HookRequest request, byte[] secret, Instant now) {
        String given = request.header().apply(HEADER);
        if (given == null || !given.startsWith(PREFIX)) {
            throw SignatureCheck.refused(HEADER, "the request is not signed: send " + HEADER + ": sha256=<hex HMAC-SHA256"
                    + " of the body>");
        }
        byte[] expected = Hmacs.hmac("HmacSHA256", secret, request.body());
        if (!Hmacs.hexEquals(expected, given.substring(PREFIX.length()))) {
            throw SignatureCheck.refused(HEADER, "the signature does not match the body and the webhook's secret");
        }
        String delivery = request.header().apply(DELIVERY_HEADER);
        return delivery == null || delivery.isBlank() ? Optional.empty()
                : Optional.of("github:" + delivery.strip());
    }

    @Override
    public Duration replayWindow() {
        return REPLAY_WINDOW;
    }

    @Override
    public ObjectNode json() {
        return SignatureCheck.json("github", secretCredential);
    }
}
