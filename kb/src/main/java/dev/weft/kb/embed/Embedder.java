package dev.weft.kb.embed;

import java.util.List;

/** Turns texts into vectors with one model: the same model for a KB's chunks and for the queries searched in it. */
public interface Embedder {

    /** One vector per text, in order, each of the KB's dimension. */
    List<float[]> embed(List<String> texts) throws EmbeddingException, InterruptedException;

    /** How many texts one call should carry. */
    int batchSize();
}
