package dev.weft.store.kb;

import java.time.Instant;

/**
 * A named collection of documents searched together: how its chunks are embedded (fixed for its life, so that
 * every vector in it is comparable) and how its documents are cut into chunks. {@code version} counts the changes
 * to its searchable chunks; an index that has applied them all answers as the database would.
 */
public record KnowledgeBase(long id, String name, String description, Embedding embedding, Chunking chunking,
                            long version, Instant createdAt) {

    /** Where a KB's vectors come from: a provider, a model and the dimension its vectors have. */
    public record Embedding(Provider provider, String model, int dimension, String url, String credential) {

        /** The kinds of embedding provider. */
        public enum Provider {
            /** A model shipped inside Weft, run in-process (no network). */
            LOCAL,
            /** Any OpenAI-compatible {@code /embeddings} endpoint (OpenAI, Ollama, vLLM, LM Studio). */
            OPENAI;

            public String word() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }

            public static Provider of(String word) {
                for (Provider p : values()) if (p.word().equals(word)) return p;
                throw new IllegalArgumentException("unknown embedding provider '" + word + "' (local or openai)");
            }
        }
    }

    /** How documents are cut: chunks of at most {@code tokens} tokens, each repeating {@code overlap} of the last. */
    public record Chunking(int tokens, int overlap) {
        public static final Chunking DEFAULT = new Chunking(256, 32);
    }

    /** What a new KB is made of. */
    public record New(String name, String description, Embedding embedding, Chunking chunking) {}
}
