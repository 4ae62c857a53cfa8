package dev.weft.kb.index;

import dev.weft.store.kb.KbChunk;
import java.util.Map;

/**
 * One passage a search found: the chunk, its fused score (1.0 = first in every list searched), and what each list
 * said of it: {@code vectorScore} (cosine similarity mapped to 0..1, null when the vector search did not find it)
 * and {@code textScore} (BM25, null when the text search did not find it).
 */
public record Hit(long chunkId, long documentId, int ordinal, String text, KbChunk.Source source,
                  Map<String, String> metadata, double score, Double vectorScore, Double textScore) {}
