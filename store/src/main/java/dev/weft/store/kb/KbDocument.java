package dev.weft.store.kb;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** One document of a knowledge base and the state of its ingest (not its bytes: {@code content} is read apart). */
public record KbDocument(long id, long kbId, String sourceName, String mediaType, long size, String sha256,
                         Map<String, String> metadata, Status status, String reason, int chunksDone,
                         Integer chunksTotal, int generation, int attempts, Instant createdAt, Instant updatedAt) {

    /** Where a document is in its ingest; {@code READY} and {@code FAILED} are final until a re-index. */
    public enum Status {
        QUEUED, PARSING, EMBEDDING, READY, FAILED;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Status of(String word) {
            return valueOf(word.toUpperCase(Locale.ROOT));
        }

        public boolean finished() {
            return this == READY || this == FAILED;
        }
    }

    /** A document to add: its bytes, where it came from and its key/value metadata. */
    public record New(String sourceName, String mediaType, byte[] content, Map<String, String> metadata) {}
}
