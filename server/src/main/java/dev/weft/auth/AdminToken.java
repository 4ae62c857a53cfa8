package dev.weft.auth;

import dev.weft.http.ApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The admin credential for the management API ({@code Authorization: Bearer <token>}): {@code WEFT_ADMIN_TOKEN}
 * when set, otherwise a random token made at first start and kept in the data folder.
 */
public final class AdminToken {

    public static final String FILE_NAME = "admin-token";

    private final byte[] token;
    private final Path file;
    private final boolean created;

    private AdminToken(String token, Path file, boolean created) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.file = file;
        this.created = created;
    }

    /** The configured token, or the one kept in {@code dataDir} (made now when missing). */
    public static AdminToken load(String configured, Path dataDir) {
        if (configured != null && !configured.isBlank()) return new AdminToken(configured.trim(), null, false);
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) return new AdminToken(Files.readString(file).trim(), file, false);
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String token = "weft_admin_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Files.createDirectories(dataDir);
            Files.writeString(file, token + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system; the file keeps its default permissions
            }
            return new AdminToken(token, file, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the admin token in " + dataDir, e);
        }
    }

    /** Checks an {@code Authorization} header; 401 unless it is {@code Bearer <the token>}. */
    public void check(String authorization) {
        String problem = problem(authorization);
        if (problem != null) throw new ApiException(ApiException.Kind.UNAUTHORIZED, "Authorization", problem);
    }

    /**
     * Whether {@code authorization} carries the admin token. Asked of every run API request before its key is
     * looked up, so it throws nothing: an exception's stack trace cost ~1% of the server's CPU under load.
     */
    public boolean matches(String authorization) {
        return problem(authorization) == null;
    }

    /** Why {@code authorization} is not the admin token, or null when it is. */
    private String problem(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "the management API needs 'Authorization: Bearer <admin token>'";
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token) ? null : "wrong admin token";
    }

    /** Where the token is kept, or null when it comes from the environment. */
    public Path file() {
        return file;
    }

    public boolean created() {
        return created;
    }

    public String value() {
        return new String(token, StandardCharsets.UTF_8);
    }
}
