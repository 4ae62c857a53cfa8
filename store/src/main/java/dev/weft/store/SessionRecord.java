package dev.weft.store;

import java.time.Instant;

/** A signed-in browser as stored: its public id, its user, its CSRF token and when it was made, seen and ends. */
public record SessionRecord(String id, long userId, String csrfToken, Instant createdAt, Instant lastSeenAt,
                            Instant expiresAt, String address, String userAgent) {}
