package dev.weft.kb;

import dev.weft.kb.index.SearchQuery;
import java.util.List;
import java.util.Map;

/**
 * A search in a knowledge base as a caller asks it: the question, how many passages, metadata filters (key → any of
 * these values), the weight of the vector and the text lists in the fusion, the least score, and optionally the
 * embedding model the caller expects (refused when it is not the KB's).
 */
public record Search(String query, int topK, Map<String, List<String>> filters, double vectorWeight,
                     double textWeight, double minScore, String model) {

    public static final int QUERY_MAX_CHARS = 8_192;

    /** {@code query}, top 5, no filters, both lists weighted 1, no minimum. */
    public static Search of(String query) {
        return new Search(query, SearchQuery.TOP_K_DEFAULT, Map.of(), 1, 1, 0, null);
    }

    public Search topK(int k) {
        return new Search(query, k, filters, vectorWeight, textWeight, minScore, model);
    }

    public Search filters(Map<String, List<String>> f) {
        return new Search(query, topK, f, vectorWeight, textWeight, minScore, model);
    }

    public Search weights(double vector, double text) {
        return new Search(query, topK, filters, vector, text, minScore, model);
    }

    public Search minScore(double min) {
        return new Search(query, topK, filters, vectorWeight, textWeight, min, model);
    }
}
