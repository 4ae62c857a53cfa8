package dev.weft.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An immutable version of a flow: a published one, or a snapshot of the draft that a test-run ran (numbered from
 * {@link #DRAFTS_FROM} up, never listed as published, never the latest); {@code publishedBy} says who published it
 * ({@code admin session}, {@code admin token}, {@code admin token (CLI)}), null for a snapshot and for versions
 * published before it was recorded.
 */
public record FlowVersion(long flowId, int version, JsonNode document, Instant createdAt, String publishedBy) {

    /**
     * The first number of a draft snapshot: published versions count 1, 2, 3... below it, so every query that
     * means "published" keeps {@code version < DRAFTS_FROM}, and a task of a snapshot is a draft task.
     */
    public static final int DRAFTS_FROM = 1_000_000_000;

    /** A version whose publisher is not known. */
    public FlowVersion(long flowId, int version, JsonNode document, Instant createdAt) {
        this(flowId, version, document, createdAt, null);
    }

    /** Whether {@code version} numbers a draft snapshot rather than a published version. */
    public static boolean isDraft(int version) {
        return version >= DRAFTS_FROM;
    }

    /** Whether this is a draft snapshot. */
    public boolean draft() {
        return isDraft(version);
    }
}
