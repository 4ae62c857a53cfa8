package dev.weft.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Hashes users' passwords with Argon2id (Bouncy Castle) in the PHC string format
 * ({@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>}), and still checks the previous release's
 * PBKDF2 admin-password hashes so an upgraded owner signs in with the password they had (rehashed at that sign-in).
 */
public final class PasswordHasher {

    /** Argon2id's cost: memory in KiB, passes over it, and lanes. */
    public record Cost(int memoryKib, int passes, int lanes) {
        /** OWASP's first Argon2id configuration (2023): 19 MiB, 2 passes, 1 lane. */
        public static final Cost DEFAULT = new Cost(19 * 1024, 2, 1);
    }

    /**
     * What a user who signs in only through single sign-on keeps instead of a hash: no password matches it, and
     * checking one costs what a real check costs, so timing does not tell such accounts apart.
     */
    public static final String NO_PASSWORD = "!none";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    private final Cost cost;
    private final String prefix;
    /** A hash of a random password, checked when an email is unknown so that costs what a wrong password costs. */
    private final String decoy;

    public PasswordHasher(Cost cost) {
        this.cost = cost;
        this.prefix = "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.passes() + ",p=" + cost.lanes() + "$";
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        this.decoy = hash(B64.encodeToString(random));
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return prefix + B64.encodeToString(salt) + "$" + B64.encodeToString(argon2(password, salt, cost, HASH_BYTES));
    }

    /** Whether {@code password} matches {@code stored} (Argon2id, or the previous release's PBKDF2), in constant time. */
    public boolean matches(String password, String stored) {
        if (password == null || stored == null) return false;
        if (stored.equals(NO_PASSWORD)) {
            spend(password);
            return false;
        }
        if (stored.startsWith(AdminPassword.SCHEME + "$")) return AdminPassword.matches(password, stored);
        String[] parts = stored.split("\\$");
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
            throw new IllegalStateException("unrecognised password hash: expected $argon2id$v=19$... or pbkdf2-sha256$...");
        }
        Cost stated = cost(parts[3]);
        byte[] salt = Base64.getDecoder().decode(parts[4]);
        byte[] expected = Base64.getDecoder().decode(parts[5]);
        return MessageDigest.isEqual(argon2(password, salt, stated, expected.length), expected);
    }

    /** Checks a password against nothing, at the cost of a real check: the answer for an unknown email. */
    public void spend(String password) {
        matches(password == null ? "" : password, decoy);
    }

    /** Whether {@code stored} was made with another scheme or cost than this hasher's. */
    public boolean outdated(String stored) {
        return !stored.startsWith(prefix);
    }

    public Cost cost() {
        return cost;
    }

    private static Cost cost(String text) {
        int m = 0, t = 0, p = 0;
        for (String pair : text.split(",")) {
            int value = Integer.parseInt(pair.substring(2));
            switch (pair.charAt(0)) {
                case 'm' -> m = value;
                case 't' -> t = value;
                case 'p' -> p = value;
                default -> throw new IllegalStateException("unrecognised Argon2 parameter " + pair);
            }
        }
        return new Cost(m, t, p);
    }

    private static byte[] argon2(String password, byte[] salt, Cost cost, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withMemoryAsKB(cost.memoryKib()).withIterations(cost.passes())
                .withParallelism(cost.lanes()).build());
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
