package dev.weft.kb.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The default model, run in-process with no network and no download: all-MiniLM-L6-v2 (quantized, 384 dimensions)
 * as LangChain4j ships it on Maven Central, inside ONNX Runtime. The model (about 100 MB of memory, 2-4 s to load)
 * is loaded at its first use, not at start, so a Weft without knowledge bases never pays for it.
 */
public final class LocalEmbedder implements Embedder {

    public static final String MODEL = "all-minilm-l6-v2-q";
    public static final int DIMENSION = 384;
    public static final int BATCH = 32;

    private static volatile EmbeddingModel model;

    @Override
    public List<float[]> embed(List<String> texts) throws EmbeddingException {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String text : texts) segments.add(TextSegment.from(text.isBlank() ? "." : text));
        List<Embedding> embeddings;
        try {
            embeddings = model().embedAll(segments).content();
        } catch (RuntimeException e) {
            throw new EmbeddingException("the local model failed: " + e.getMessage(), false);
        }
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (Embedding e : embeddings) vectors.add(e.vector());
        return vectors;
    }

    @Override
    public int batchSize() {
        return BATCH;
    }

    private static EmbeddingModel model() {
        EmbeddingModel loaded = model;
        if (loaded == null) {
            synchronized (LocalEmbedder.class) {
                loaded = model;
                if (loaded == null) model = loaded = new AllMiniLmL6V2QuantizedEmbeddingModel();
            }
        }
        return loaded;
    }
}
