package dev.weft.hook;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMACs and comparisons that take the same time whatever the bytes compared. */
final class Hmacs {

    private Hmacs() {}

    /** HMAC of {@code parts} (in order) under {@code secret}; {@code algorithm} is the JCA name (HmacSHA256). */
    static byte[] hmac(String algorithm, byte[] secret, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            // an empty key is refused by SecretKeySpec; a credential always has a non-empty secret
            mac.init(new SecretKeySpec(secret, algorithm));
            for (byte[] part : parts) mac.update(part);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }

    /** Whether {@code given} (hex, any case) is {@code expected}, in constant time; false when it is not hex. */
    static boolean hexEquals(byte[] expected, String given) {
        byte[] decoded;
        try {
            decoded = HexFormat.of().parseHex(given.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, decoded);
    }

    /** Whether {@code given} (base64, standard or URL-safe) is {@code expected}, in constant time. */
    static boolean base64Equals(byte[] expected, String given) {
        byte[] decoded;
        try {
            String text = given.trim();
            decoded = text.indexOf('-') >= 0 || text.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(text)
                    : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, decoded);
    }

    /** Whether two texts are equal, comparing their SHA-256 digests so that neither length nor content leaks. */
    static boolean textEquals(String expected, String given) {
        return MessageDigest.isEqual(sha256(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                sha256(given.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
