package dev.weft.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A flow as stored, in its workspace: its draft document and its latest published version (null when never published). */
public record FlowRecord(long id, String name, JsonNode draft, Integer latestVersion, Instant createdAt,
                         Instant updatedAt, long workspaceId) {

    /** A flow of the default workspace. */
    public FlowRecord(long id, String name, JsonNode draft, Integer latestVersion, Instant createdAt, Instant updatedAt) {
        this(id, name, draft, latestVersion, createdAt, updatedAt, Database.DEFAULT_WORKSPACE);
    }
}
