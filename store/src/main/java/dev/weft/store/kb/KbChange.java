package dev.weft.store.kb;

/**
 * One change to a KB's searchable chunks, at the KB's {@code version}: a document became {@code ready} (index its
 * chunks, replacing any it had) or was {@code removed} (drop them). Indexes apply them in version order.
 */
public record KbChange(long kbId, long version, long documentId, Kind kind) {

    /** What happened to the document's chunks. */
    public enum Kind { READY, REMOVED }
}
