package dev.weft.form;

import dev.weft.store.FormRecord;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The random parts of a hosted form: its link's token, a submission's handle, the key that signs its unlock
 * cookies (each 256 bits from {@link SecureRandom}, base64url), and the cookie itself: an expiry and an
 * HMAC-SHA256 of the form's id and that expiry under the form's own key, so a cookie opens one form only, until it
 * expires or the form's password or token changes (which replaces the key).
 */
public final class FormSecrets {

    /** Bytes of randomness in a token, a handle and a cookie key: 256 bits. */
    public static final int RANDOM_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private FormSecrets() {}

    /** A new random value: a token, a handle or a cookie key (43 characters of base64url). */
    public static String random() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return B64.encodeToString(bytes);
    }

    /** What the database keeps of a handle: its SHA-256, hex. */
    public static String digest(String handle) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(handle.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** The unlock cookie's value for {@code form}, good until {@code expires}. */
    public static String cookie(FormRecord form, Instant expires) {
        long at = expires.getEpochSecond();
        return at + "." + B64.encodeToString(mac(form, at));
    }

    /** Whether {@code value} is an unexpired unlock cookie signed for {@code form} with its current key. */
    public static boolean unlocks(FormRecord form, String value, Instant now) {
        if (value == null) return false;
        int dot = value.indexOf('.');
        if (dot < 1) return false;
        long at;
        byte[] given;
        try {
            at = Long.parseLong(value.substring(0, dot));
            given = Base64.getUrlDecoder().decode(value.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return now.getEpochSecond() < at && MessageDigest.isEqual(mac(form, at), given);
    }

    private static byte[] mac(FormRecord form, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(form.cookieKey().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(("form:" + form.id() + ":" + expires).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HmacSHA256", e);
        }
    }
}
