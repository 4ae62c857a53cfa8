package dev.weft.form;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A hosted form's password, kept only as PBKDF2-HMAC-SHA256 from the JDK: 16 random bytes of salt, a 256-bit
 * hash, {@link #ITERATIONS_DEFAULT} iterations, written {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (base64).
 * A stored hash names its own iterations, so raising the default leaves older hashes working.
 */
public final class FormPasswords {

    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256, as the admin password uses. */
    public static final int ITERATIONS_DEFAULT = 600_000;
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;

    public FormPasswords(int iterations) {
        this.iterations = iterations;
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$"
                + b64.encodeToString(derive(password, salt, iterations, HASH_BITS));
    }

    /** Whether {@code password} matches {@code stored}, compared in constant time. */
    public static boolean matches(String stored, String password) {
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            throw new IllegalStateException("unrecognised form password hash: expected " + SCHEME
                    + "$<iterations>$<salt>$<hash>");
        }
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] hash = Base64.getDecoder().decode(parts[3]);
        return MessageDigest.isEqual(derive(password, salt, Integer.parseInt(parts[1]), hash.length * 8), hash);
    }

    private static byte[] derive(String password, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
        }
    }
}
