package dev.weft.kb.embed;

/**
 * Embedding failed: the provider is down, refused, or answered vectors of another dimension than the KB's. Ingest
 * retries a {@code transient} one later; otherwise the document fails with this message.
 */
public final class EmbeddingException extends Exception {

    private final boolean transientFailure;

    public EmbeddingException(String message, boolean transientFailure) {
        super(message);
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
