package dev.weft.kb;

import dev.weft.kb.index.Hit;
import java.util.List;

/** A hook that may reorder (or cut) the fused passages before they are returned, e.g. with a cross-encoder. */
@FunctionalInterface
public interface Reranker {

    Reranker NONE = (query, hits) -> hits;

    List<Hit> rerank(String query, List<Hit> hits);
}
