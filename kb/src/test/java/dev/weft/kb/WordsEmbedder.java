package dev.weft.kb;

import dev.weft.kb.embed.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in model for tests: each word adds 1 to one of {@link #DIMENSION} slots (by its hash), so texts that share
 * words are near. Counts its calls and can be told to fail.
 */
final class WordsEmbedder implements Embedder {

    static final int DIMENSION = 64;
    final AtomicInteger calls = new AtomicInteger();
    volatile dev.weft.kb.embed.EmbeddingException failWith;

    @Override
    public List<float[]> embed(List<String> texts) throws dev.weft.kb.embed.EmbeddingException {
        calls.incrementAndGet();
        if (failWith != null) throw failWith;
        List<float[]> out = new ArrayList<>();
        for (String text : texts) {
            float[] v = new float[DIMENSION];
            v[0] = 0.01f;   // never the zero vector (cosine needs a length)
            for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                if (!word.isEmpty()) v[Math.floorMod(word.hashCode(), DIMENSION)] += 1;
            }
            out.add(v);
        }
        return out;
    }

    @Override
    public int batchSize() {
        return 4;
    }
}
