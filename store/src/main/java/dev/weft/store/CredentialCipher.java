package dev.weft.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts credential secrets at rest with AES-256-GCM under the master key: {@value #ENV} (base64 of 32 bytes)
 * when set, otherwise a random key made at first start and kept in the data folder ({@value #FILE_NAME}, readable
 * by its owner only). Processes sharing one PostgreSQL must share the key: set {@value #ENV} on each.
 */
public final class CredentialCipher {

    public static final String ENV = "WEFT_MASTER_KEY";
    public static final String FILE_NAME = "master-key";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public CredentialCipher(byte[] key) {
        if (key.length != KEY_BYTES) throw new IllegalArgumentException("the master key must be " + KEY_BYTES + " bytes");
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /** The configured key (base64 text), or the one kept in {@code dataDir}, made now when missing. */
    public static CredentialCipher load(String configured, Path dataDir) {
        if (configured != null && !configured.isBlank()) return new CredentialCipher(decode(configured.trim(), ENV));
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) return new CredentialCipher(decode(Files.readString(file).trim(), file.toString()));
            byte[] key = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(dataDir);
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system; the file keeps its default permissions
            }
            return new CredentialCipher(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key in " + dataDir, e);
        }
    }

    private static byte[] decode(String text, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " must be base64 of " + KEY_BYTES + " random bytes"
                    + " (make one with: head -c 32 /dev/urandom | base64)");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(source + " must be base64 of " + KEY_BYTES + " random bytes (it holds "
                    + key.length + "; make one with: head -c 32 /dev/urandom | base64)");
        }
        return key;
    }

    /** Base64 of nonce + ciphertext + tag; {@code name} is bound as associated data. */
    public String seal(String name, String secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
        }
    }

    /** The secret sealed for {@code name}; throws {@link IllegalStateException} when this key cannot open it. */
    public String open(String name, String sealed) {
        byte[] bytes = Base64.getDecoder().decode(sealed);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("credential '" + name + "' cannot be decrypted with this master key ("
                    + ENV + " or " + FILE_NAME + " differs from the one it was stored with)");
        }
    }
}
