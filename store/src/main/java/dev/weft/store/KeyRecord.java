package dev.weft.store;

import java.time.Instant;
import java.util.List;

/** A server key as stored: never its secret, only the secret's SHA-256 hash. */
public record KeyRecord(String id, String name, String secretHash, Instant createdAt, Instant lastUsedAt,
                        Instant expiresAt, Instant revokedAt, List<Long> flowIds) {

    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
