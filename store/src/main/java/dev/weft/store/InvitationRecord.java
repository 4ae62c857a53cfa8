package dev.weft.store;

import java.time.Instant;

/** An invitation link as stored (only its token's hash): the role it grants, until when, and whether it was used. */
public record InvitationRecord(String tokenHash, long workspaceId, String role, String createdBy, Instant createdAt,
                               Instant expiresAt, Instant acceptedAt) {}
