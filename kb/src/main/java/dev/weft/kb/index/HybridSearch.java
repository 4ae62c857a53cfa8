package dev.weft.kb.index;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.weft.json.Json;
import dev.weft.store.kb.KbChunk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

/**
 * One hybrid search on one index snapshot: BM25 over the chunks' text and approximate nearest neighbours over their
 * vectors (HNSW), both restricted by the metadata filters, fused by reciprocal rank: a chunk at rank r (1-based) in
 * a list gets {@code weight / (60 + r)} from it. The fused score is divided by what rank 1 in every list would get,
 * so 1.0 is the best possible and {@code min_score} reads the same whatever the weights.
 */
final class HybridSearch {

    /** How many candidates each list brings to the fusion, per passage asked for (at least {@link #POOL_MIN}). */
    static final int POOL_FACTOR = 4;
    static final int POOL_MIN = 40;
    /**
     * The HNSW search explores at least this many candidates (Lucene's {@code k}) and the best {@code pool} of them go
     * to the fusion: with 40, recall@10 against exact search was 0.94 on 100,000 clustered 384-dimension vectors; with
     * 100 it is over 0.95 (docs/benchmarks.md, "Issue 12: retrieval quality and scale").
     */
    static final int ANN_CANDIDATES_MIN = 100;
    /** At most this many distinct terms of the query's text are searched (a 100 kB query stays cheap). */
    static final int TERMS_MAX = 256;
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

    private final IndexSearcher searcher;
    private final Analyzer analyzer;
    private final Set<String> metadataKeys;

    HybridSearch(IndexSearcher searcher, Analyzer analyzer, Set<String> metadataKeys) {
        this.searcher = searcher;
        this.analyzer = analyzer;
        this.metadataKeys = metadataKeys;
    }

    List<Hit> run(SearchQuery q) throws IOException {
        Query filter = filter(q.filters());
        int pool = Math.max(POOL_MIN, q.topK() * POOL_FACTOR);
        Map<Integer, double[]> fused = new HashMap<>();   // doc -> {rrf, vector score or NaN, text score or NaN}
        double best = 0;
        if (q.vector() != null && q.vectorWeight() > 0) {
            best += q.vectorWeight() / (SearchQuery.RRF_K + 1);
            int candidates = Math.max(pool, ANN_CANDIDATES_MIN);
            TopDocs top = searcher.search(new KnnFloatVectorQuery(KbIndex.VECTOR, q.vector(), candidates, filter), pool);
            add(fused, top, q.vectorWeight(), 1);
        }
        Query text = textQuery(q.text());
        if (text != null && q.textWeight() > 0) {
            best += q.textWeight() / (SearchQuery.RRF_K + 1);
            BooleanQuery.Builder query = new BooleanQuery.Builder().add(text, BooleanClause.Occur.MUST);
            if (filter != null) query.add(filter, BooleanClause.Occur.FILTER);
            add(fused, searcher.search(query.build(), pool), q.textWeight(), 2);
        }
        if (best == 0) return List.of();
        double scale = best;
        List<Map.Entry<Integer, double[]>> ranked = new ArrayList<>(fused.entrySet());
        ranked.sort(Comparator.<Map.Entry<Integer, double[]>>comparingDouble(e -> -e.getValue()[0])
                .thenComparingInt(Map.Entry::getKey));
        List<Hit> hits = new ArrayList<>();
        for (Map.Entry<Integer, double[]> e : ranked) {
            double score = e.getValue()[0] / scale;
            if (score < q.minScore() || hits.size() == q.topK()) break;
            hits.add(hit(e.getKey(), score, e.getValue()));
        }
        return hits;
    }

    private static void add(Map<Integer, double[]> fused, TopDocs top, double weight, int slot) {
        for (int rank = 0; rank < top.scoreDocs.length; rank++) {
            ScoreDoc sd = top.scoreDocs[rank];
            double[] entry = fused.computeIfAbsent(sd.doc, d -> new double[] {0, Double.NaN, Double.NaN});
            entry[0] += weight / (SearchQuery.RRF_K + rank + 1);
            entry[slot] = sd.score;
        }
    }

    /** Every key must match one of its values; a key no chunk of the KB has is refused, naming the known ones. */
    private Query filter(Map<String, List<String>> filters) {
        if (filters == null || filters.isEmpty()) return null;
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            String field;
            if (f.getKey().equals("document_id")) {
                field = KbIndex.DOC;
            } else if (metadataKeys.contains(f.getKey())) {
                field = KbIndex.META_PREFIX + f.getKey();
            } else {
                throw new UnknownFilterException(f.getKey(), metadataKeys);
            }
            BooleanQuery.Builder any = new BooleanQuery.Builder();
            for (String value : f.getValue()) any.add(new TermQuery(new Term(field, value)), BooleanClause.Occur.SHOULD);
            all.add(any.build(), BooleanClause.Occur.FILTER);
        }
        all.add(new MatchAllDocsQuery(), BooleanClause.Occur.MUST);
        return all.build();
    }

    private Query textQuery(String text) throws IOException {
        if (text == null || text.isBlank()) return null;
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream stream = analyzer.tokenStream(KbIndex.TEXT, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken() && terms.size() < TERMS_MAX) terms.add(term.toString());
            stream.end();
        }
        if (terms.isEmpty()) return null;
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        for (String t : terms) query.add(new TermQuery(new Term(KbIndex.TEXT, t)), BooleanClause.Occur.SHOULD);
        return query.build();
    }

    private Hit hit(int docId, double score, double[] parts) throws IOException {
        Document doc = searcher.storedFields().document(docId);
        IndexableField page = doc.getField(KbIndex.PAGE);
        KbChunk.Source source = new KbChunk.Source(page == null ? null : page.numericValue().intValue(),
                doc.get(KbIndex.SECTION), doc.getField(KbIndex.START).numericValue().intValue(),
                doc.getField(KbIndex.END).numericValue().intValue());
        Map<String, String> metadata = Json.MAPPER.readValue(doc.get(KbIndex.METADATA), MAP);
        return new Hit(Long.parseLong(doc.get(KbIndex.CHUNK)), Long.parseLong(doc.get(KbIndex.DOC)),
                doc.getField(KbIndex.ORDINAL).numericValue().intValue(), doc.get(KbIndex.TEXT), source, metadata, score,
                Double.isNaN(parts[1]) ? null : parts[1], Double.isNaN(parts[2]) ? null : parts[2]);
    }
}
