package dev.weft.callback;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs completion callbacks so a receiver can tell they come from this Weft and are fresh:
 * {@code Weft-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the signing secret>}. The receiver
 * recomputes the HMAC over the timestamp, a dot and the raw body, compares in constant time, and refuses a
 * timestamp older than its tolerance (five minutes, say) to stop replays.
 */
public final class CallbackSigner {

    public static final String HEADER = "Weft-Signature";
    private static final String ALGORITHM = "HmacSHA256";

    private final byte[] secret;

    public CallbackSigner(String secret) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The {@value #HEADER} value for {@code body} sent at {@code epochSeconds}. */
    public String header(long epochSeconds, byte[] body) {
        return "t=" + epochSeconds + ",v1=" + sign(secret, epochSeconds, body);
    }

    /** The hex HMAC-SHA256 of {@code "<t>.<body>"}: what a receiver computes to check a callback. */
    public static String sign(byte[] secret, long epochSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }
}
