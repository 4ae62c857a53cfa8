package dev.weft.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A flow as stored: its draft document and its latest published version (null when never published). */
public record FlowRecord(long id, String name, JsonNode draft, Integer latestVersion, Instant createdAt,
                         Instant updatedAt) {}
