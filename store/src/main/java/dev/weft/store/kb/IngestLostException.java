package dev.weft.store.kb;

import dev.weft.store.StoreException;

/**
 * A write for a document ingest this process no longer holds: the lease ran out and another process took it over,
 * the document was re-indexed (a newer generation) or deleted. The write was refused and changed nothing.
 */
public final class IngestLostException extends StoreException {

    public IngestLostException(long documentId, String owner) {
        super("document " + documentId + " is no longer ingested by " + owner + ": it was deleted, re-indexed, or "
                + "its lease ran out and another process took it over", null);
    }
}
