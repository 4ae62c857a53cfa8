package dev.weft.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A webhook trigger as stored: the flow it starts, its name, the hash of its token (the token itself is never
 * stored), its settings (JSON: signature check, mapping, answer mode, limits) and when it was made, changed, given
 * a new token and revoked ({@code revokedAt} null while it is live).
 */
public record WebhookRecord(String id, long flowId, String name, String tokenHash, JsonNode settings,
                            Instant createdAt, Instant updatedAt, Instant rotatedAt, Instant revokedAt) {

    /** Whether its token starts tasks (not revoked). */
    public boolean live() {
        return revokedAt == null;
    }
}
