package dev.weft.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An immutable published version of a flow; {@code publishedBy} says who published it ({@code admin session},
 * {@code admin token}, {@code admin token (CLI)}), null for versions published before it was recorded.
 */
public record FlowVersion(long flowId, int version, JsonNode document, Instant createdAt, String publishedBy) {

    /** A version whose publisher is not known. */
    public FlowVersion(long flowId, int version, JsonNode document, Instant createdAt) {
        this(flowId, version, document, createdAt, null);
    }
}
