package dev.weft.store;

import java.time.Instant;
import java.util.List;

/** A server key as stored (it acts only in its workspace): never its secret, only the secret's SHA-256 hash. */
public record KeyRecord(String id, String name, String secretHash, Instant createdAt, Instant lastUsedAt,
                        Instant expiresAt, Instant revokedAt, List<Long> flowIds, long workspaceId) {

    /** A key of the default workspace. */
    public KeyRecord(String id, String name, String secretHash, Instant createdAt, Instant lastUsedAt,
                     Instant expiresAt, Instant revokedAt, List<Long> flowIds) {
        this(id, name, secretHash, createdAt, lastUsedAt, expiresAt, revokedAt, flowIds, Database.DEFAULT_WORKSPACE);
    }

    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
