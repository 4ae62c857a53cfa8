package dev.weft.store;

import java.time.Instant;

/**
 * A signed-in browser as stored: its public id, its user, its CSRF token, when it was made, seen and ends, and the
 * workspace its user is working in.
 */
public record SessionRecord(String id, long userId, String csrfToken, Instant createdAt, Instant lastSeenAt,
                            Instant expiresAt, String address, String userAgent, long workspaceId) {

    /** A session working in the default workspace. */
    public SessionRecord(String id, long userId, String csrfToken, Instant createdAt, Instant lastSeenAt,
                         Instant expiresAt, String address, String userAgent) {
        this(id, userId, csrfToken, createdAt, lastSeenAt, expiresAt, address, userAgent, Database.DEFAULT_WORKSPACE);
    }
}
