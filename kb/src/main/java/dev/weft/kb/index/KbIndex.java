package dev.weft.kb.index;

import dev.weft.json.Json;
import dev.weft.store.kb.KbChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * One knowledge base's index in this process, on disk in the data folder: every ready chunk's text for BM25 and its
 * vector in an HNSW graph, with its source and metadata stored beside them so that a search needs no database
 * read. It is derived from the database: it records in its commit the KB version it has applied ({@link #version()}),
 * and {@link KbIndexes} brings it up to date. Writes come from one thread at a time (the caller's lock); searches
 * run concurrently on the last committed state.
 */
public final class KbIndex implements AutoCloseable {

    static final String CHUNK = "chunk";
    static final String DOC = "doc";
    static final String ORDINAL = "ordinal";
    static final String TEXT = "text";
    static final String VECTOR = "vector";
    static final String PAGE = "page";
    static final String SECTION = "section";
    static final String START = "start";
    static final String END = "end";
    static final String METADATA = "metadata";
    /** Metadata key {@code k} is indexed, for filters, as field {@code m.k}. */
    static final String META_PREFIX = "m.";
    private static final String VERSION = "weft.kb.version";

    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Analyzer analyzer = new StandardAnalyzer();
    private volatile long version;
    private volatile boolean merging;

    private KbIndex(Directory directory, IndexWriter writer, Executor segments) throws IOException {
        this.directory = directory;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, segments == null ? null : new SearcherFactory() {
            @Override
            public IndexSearcher newSearcher(IndexReader reader, IndexReader previous) {
                return new IndexSearcher(reader, segments);
            }
        });
        String committed = writer.getLiveCommitData() == null ? null : liveVersion(writer);
        this.version = committed == null ? 0 : Long.parseLong(committed);
    }

    /** Opens (creating when missing) the index in {@code folder}; its segments are searched one after another. */
    public static KbIndex open(Path folder) throws IOException {
        return open(folder, null);
    }

    /**
     * Opens (creating when missing) the index in {@code folder}, searching its segments' HNSW graphs in parallel on
     * {@code segments} (null: one after another on the caller's thread).
     */
    public static KbIndex open(Path folder, Executor segments) throws IOException {
        Directory directory = FSDirectory.open(folder);
        IndexWriterConfig config = new IndexWriterConfig(new StandardAnalyzer())
                .setCodec(WideVectors.codec())
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        try {
            return new KbIndex(directory, new IndexWriter(directory, config), segments);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    private static String liveVersion(IndexWriter writer) {
        for (Map.Entry<String, String> e : writer.getLiveCommitData()) if (e.getKey().equals(VERSION)) return e.getValue();
        return null;
    }

    /** The KB version this index has applied (0: none). */
    public long version() {
        return version;
    }

    /** Drops the document's chunks, then adds {@code chunks} (none: the document is gone). Seen at {@link #commit}. */
    public void replace(long documentId, List<KbChunk> chunks) throws IOException {
        writer.deleteDocuments(new Term(DOC, Long.toString(documentId)));
        for (KbChunk chunk : chunks) {
            if (chunk.embedding() == null) continue;   // a chunk not yet embedded is not searchable
            writer.addDocument(document(chunk));
        }
    }

    /** Commits what was replaced, recording {@code version} as applied, and makes it visible to searches. */
    public void commit(long version) throws IOException {
        writer.setLiveCommitData(List.of(Map.entry(VERSION, Long.toString(version))));
        writer.commit();
        searchers.maybeRefreshBlocking();
        this.version = version;
    }

    /**
     * Merges the index down to at most {@code maxSegments} segments, commits and makes the result visible: one HNSW
     * graph is searched much faster than several (each segment's graph is searched for the whole fan-out). For a
     * caller that is the only writer; {@link KbIndexes} runs {@link #merge} and {@link #publish} apart instead.
     */
    public void compact(int maxSegments) throws IOException {
        merge(maxSegments);
        publish();
    }

    /**
     * Merges the index down to at most {@code maxSegments} segments, not yet visible to searches. It may take long
     * (minutes for 100,000 vectors); other threads may {@link #replace} and {@link #commit} meanwhile.
     */
    void merge(int maxSegments) throws IOException {
        merging = true;
        try {
            writer.forceMerge(maxSegments);
        } finally {
            merging = false;
        }
    }

    /** Commits what was merged, under the version already applied, and shows it to searches; under the write lock. */
    void publish() throws IOException {
        commit(version);
    }

    /** How many segments the last committed state has. */
    public int segments() throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return searcher.getIndexReader().leaves().size();
        } finally {
            searchers.release(searcher);
        }
    }

    /** Drops every chunk (before a rebuild). */
    public void clear() throws IOException {
        writer.deleteAll();
    }

    private static Document document(KbChunk chunk) {
        Document doc = new Document();
        doc.add(new StringField(CHUNK, Long.toString(chunk.id()), Field.Store.YES));
        doc.add(new StringField(DOC, Long.toString(chunk.documentId()), Field.Store.YES));
        doc.add(new StoredField(ORDINAL, chunk.ordinal()));
        doc.add(new TextField(TEXT, chunk.text(), Field.Store.YES));
        doc.add(new KnnFloatVectorField(VECTOR, chunk.embedding(), VectorSimilarityFunction.COSINE));
        if (chunk.source().page() != null) doc.add(new StoredField(PAGE, chunk.source().page()));
        if (chunk.source().section() != null) doc.add(new StoredField(SECTION, chunk.source().section()));
        doc.add(new StoredField(START, chunk.source().start()));
        doc.add(new StoredField(END, chunk.source().end()));
        doc.add(new StoredField(METADATA, Json.write(chunk.metadata())));
        for (Map.Entry<String, String> e : chunk.metadata().entrySet()) {
            doc.add(new StringField(META_PREFIX + e.getKey(), e.getValue(), Field.Store.NO));
        }
        return doc;
    }

    /** Runs {@code search} on the last committed state. */
    public List<Hit> search(SearchQuery query) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return new HybridSearch(searcher, analyzer, metadataKeys(searcher)).run(query);
        } finally {
            searchers.release(searcher);
        }
    }

    /** How many chunks the index holds. */
    public int size() {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.getIndexReader().numDocs();
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TreeSet<String> metadataKeys(IndexSearcher searcher) {
        TreeSet<String> keys = new TreeSet<>();
        FieldInfos infos = FieldInfos.getMergedFieldInfos(searcher.getIndexReader());
        for (FieldInfo info : infos) if (info.name.startsWith(META_PREFIX)) keys.add(info.name.substring(META_PREFIX.length()));
        return keys;
    }

    @Override
    public void close() throws IOException {
        List<Throwable> failures = new ArrayList<>();
        // everything written is committed by now (each change is), so a merge still running is dropped, not awaited
        AutoCloseable closeWriter = merging ? writer::rollback : writer;
        for (AutoCloseable part : new AutoCloseable[] {searchers, closeWriter, directory}) {
            try {
                part.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) throw new IOException("closing the index failed", failures.get(0));
    }

    static boolean exists(Path folder) throws IOException {
        try (Directory d = FSDirectory.open(folder)) {
            return DirectoryReader.indexExists(d);
        }
    }
}
