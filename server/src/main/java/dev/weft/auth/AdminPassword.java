package dev.weft.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The previous release's admin password file, kept only as a PBKDF2-HMAC-SHA256 hash in {@code <data>/admin-password}
 * ({@code pbkdf2-sha256$<iterations>$<salt>$<hash>}, base64). Since issue 15 the first owner's account replaces it:
 * {@link Accounts} carries its hash over once (the owner keeps their password) and never writes the file.
 */
public final class AdminPassword {

    public static final String FILE_NAME = "admin-password";
    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about a third of a second per check on this machine. */
    public static final int ITERATIONS_DEFAULT = 600_000;
    public static final int LENGTH_MIN = 8;
    public static final int LENGTH_MAX = 1024;
    static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final int iterations;
    private volatile String stored;

    private AdminPassword(Path file, int iterations, String stored) {
        this.file = file;
        this.iterations = iterations;
        this.stored = stored;
    }

    /** The password kept in {@code dataDir}, or none yet; new hashes use {@code iterations}. */
    public static AdminPassword load(Path dataDir, int iterations) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            String stored = Files.exists(file) ? Files.readString(file).trim() : null;
            return new AdminPassword(file, iterations, stored == null || stored.isEmpty() ? null : stored);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public boolean isSet() {
        return stored != null;
    }

    /**
     * Sets the password when none is set yet; false when one already is (it is never overwritten this way).
     * The hash is written to a temporary file and moved into place, so a crash leaves no half-written hash.
     */
    public synchronized boolean setFirst(String password) {
        if (stored != null) return false;
        String hash = hash(password, iterations);
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
            Files.writeString(temporary, hash + "\n");
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system; the file keeps its default permissions
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        stored = hash;
        return true;
    }

    /** The stored hash, or null when none is set. */
    public String hash() {
        return stored;
    }

    /** Whether {@code password} is the admin password, compared in constant time; false when none is set. */
    public boolean matches(String password) {
        String current = stored;
        if (current == null || password == null) return false;
        return matches(password, current);
    }

    /** Whether {@code password} matches a {@code pbkdf2-sha256$...} hash, compared in constant time. */
    static boolean matches(String password, String current) {
        String[] parts = current.split("\\$");
        if (parts.length == 4 && parts[0].equals(SCHEME)) {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            byte[] given = derive(password, salt, Integer.parseInt(parts[1]), hash.length * 8);
            return MessageDigest.isEqual(given, hash);
        }
        throw new IllegalStateException("unrecognised admin password hash: expected " + SCHEME
                + "$<iterations>$<salt>$<hash>");
    }

    static String hash(String password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(password, salt, iterations, HASH_BITS);
        Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
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

    /** A password's problem, or null when it is acceptable. */
    public static String problem(String password) {
        if (password == null) return "is required";
        int length = password.getBytes(StandardCharsets.UTF_8).length;
        if (password.codePointCount(0, password.length()) < LENGTH_MIN) return "must have at least " + LENGTH_MIN + " characters";
        if (length > LENGTH_MAX) return "must have at most " + LENGTH_MAX + " bytes";
        return null;
    }
}
