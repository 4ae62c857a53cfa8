package dev.weft.kb.index;

import java.util.List;
import java.util.Map;

/**
 * What to search for: the query's text (for BM25) and its vector (for nearest neighbours, null for text only), how
 * many passages to return, metadata filters (key → accepted values; every key must match), the weight of each list
 * in the fusion (0 leaves a list out) and the least fused score to return.
 */
public record SearchQuery(String text, float[] vector, int topK, Map<String, List<String>> filters,
                          double vectorWeight, double textWeight, double minScore) {

    public static final int TOP_K_DEFAULT = 5;
    public static final int TOP_K_MAX = 100;
    /** Reciprocal rank fusion's constant: rank r in a list adds weight / (RRF_K + r). */
    public static final int RRF_K = 60;
}
