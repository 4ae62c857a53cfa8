package dev.weft.kb;

import dev.weft.store.kb.JdbcKbIngests;
import dev.weft.store.kb.JdbcKnowledgeBases;
import dev.weft.store.kb.KbChunk;
import dev.weft.store.kb.KbDocument;
import dev.weft.store.kb.KnowledgeBase;
import dev.weft.store.kb.Vectors;
import dev.weft.concurrent.Loop;
import dev.weft.kb.embed.Embedders;
import dev.weft.kb.embed.EmbeddingException;
import dev.weft.kb.index.Hit;
import dev.weft.kb.index.KbIndex;
import dev.weft.kb.index.KbIndexes;
import dev.weft.kb.index.SearchQuery;
import dev.weft.kb.index.UnknownFilterException;
import dev.weft.kb.parse.Documents;
import dev.weft.kb.parse.ParseLimits;
import dev.weft.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Knowledge bases in one process: the service the API and the nodes call. It keeps KBs and documents in the database,
 * ingests in the background on a {@link Loop} (any process may take any document: leases), and searches this
 * process's index of a KB after bringing it up to the KB's version, so every process answers alike. A node searches
 * in one line: {@code knowledgeBases.search(kbId, Search.of(question).topK(5))}.
 */
public final class KnowledgeBases implements AutoCloseable {

    public static final Duration INGEST_POLL = Duration.ofSeconds(2);
    public static final Duration INDEX_SYNC = Duration.ofSeconds(1);

    private final JdbcKnowledgeBases kbs;
    private final KbIndexes indexes;
    private final Embedders embedders;
    private final Ingester ingester;
    private final Reranker reranker;
    private final Loop ingestLoop;
    private final Loop indexLoop;

    /** The parts a service is made of; {@code owner} names this process in document leases. */
    public record Parts(Database database, Path dataDir, Clock clock, String owner, Embedders embedders,
                        ParseLimits limits, Reranker reranker) {}

    public KnowledgeBases(Parts parts) {
        this.kbs = new JdbcKnowledgeBases(parts.database(), parts.clock());
        this.indexes = new KbIndexes(kbs, parts.dataDir().resolve(KbIndexes.FOLDER), parts.clock());
        this.embedders = parts.embedders();
        this.reranker = parts.reranker();
        JdbcKbIngests ingests = new JdbcKbIngests(parts.database(), parts.clock(), parts.owner(),
                JdbcKbIngests.LEASE_DEFAULT);
        this.ingester = new Ingester(kbs, ingests, new Documents(parts.limits()), embedders, kbId -> indexes.current(kbId));
        // the first round one poll after start, not at once: a starting worker's own tasks come first
        this.ingestLoop = Loop.every("weft-kb-ingest", INGEST_POLL, ingester::drain);
        this.indexLoop = Loop.every("weft-kb-index", INDEX_SYNC, indexes::syncOpen);
    }

    /** Starts ingesting in the background (in a process that runs tasks). */
    public KnowledgeBases startIngest() {
        ingestLoop.start();
        return this;
    }

    /** Starts keeping this process's open indexes up to date in the background (in a process that serves searches). */
    public KnowledgeBases startIndexSync() {
        indexLoop.start();
        return this;
    }

    /** One round of the index loop, for tests that drive it: completes when the merges it started have. */
    public CompletableFuture<Void> syncIndexes() {
        return indexes.syncOpen();
    }

    /** How many segments this process's index of the KB has now (1 once merged); for tests and figures. */
    public int indexSegments(long kbId) {
        try {
            return indexes.current(kbId).orElseThrow(() -> notFound(kbId)).segments();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ingest loop, for tests that drive it round by round. */
    public Ingester ingester() {
        return ingester;
    }

    public KnowledgeBase create(KnowledgeBase.New kb) {
        return kbs.create(kb).orElseThrow(() -> new KbException(KbException.Kind.CONFLICT, "name",
                "a knowledge base named '" + kb.name() + "' exists"));
    }

    public List<KnowledgeBase> list() {
        return kbs.list();
    }

    public KnowledgeBase get(long kbId) {
        return kbs.find(kbId).orElseThrow(() -> notFound(kbId));
    }

    /** The KB a node's settings name (names are stable across environments, ids are not). */
    public KnowledgeBase byName(String name) {
        return kbs.findByName(name).orElseThrow(() -> new KbException(KbException.Kind.NOT_FOUND, "knowledge_base",
                "no knowledge base is named '" + name + "'"));
    }

    /** Creates a KB in workspace {@code workspaceId}; its name must be new there. */
    public KnowledgeBase create(long workspaceId, KnowledgeBase.New kb) {
        return kbs.create(workspaceId, kb).orElseThrow(() -> new KbException(KbException.Kind.CONFLICT, "name",
                "a knowledge base named '" + kb.name() + "' exists"));
    }

    /** Workspace {@code workspaceId}'s KBs. */
    public List<KnowledgeBase> list(long workspaceId) {
        return kbs.list(workspaceId);
    }

    /**
     * The KB task {@code taskId}'s step names: by id when {@code kb} is all digits, else by name, in the task's
     * workspace only (another workspace's is not found, just like one that does not exist).
     */
    public KnowledgeBase forTask(long taskId, String kb) {
        long workspace = kbs.taskWorkspace(taskId).orElseThrow(() -> new KbException(KbException.Kind.NOT_FOUND,
                "knowledge_base", "task " + taskId + " does not exist"));
        boolean id = kb.matches("[0-9]{1,18}");
        return (id ? kbs.find(workspace, Long.parseLong(kb)) : kbs.findByName(workspace, kb)).orElseThrow(() ->
                new KbException(KbException.Kind.NOT_FOUND, "knowledge_base", "no knowledge base is named or "
                        + "numbered '" + kb + "'"));
    }

    /** The workspace of task {@code taskId}; empty when there is no such task. */
    public java.util.Optional<Long> taskWorkspace(long taskId) {
        return kbs.taskWorkspace(taskId);
    }

    /** Deletes the KB, its documents and chunks, and this process's index of it (others drop theirs on sync). */
    public void delete(long kbId) {
        if (!kbs.delete(kbId)) throw notFound(kbId);
        indexes.drop(kbId);
    }

    /** Adds a document, queued for ingest, and wakes the ingest loop. */
    public KbDocument add(long kbId, KbDocument.New doc) {
        KbDocument added = kbs.addDocument(kbId, doc).orElseThrow(() -> notFound(kbId));
        ingestLoop.wakeUp();
        return added;
    }

    public List<KbDocument> documents(long kbId) {
        get(kbId);
        return kbs.documents(kbId);
    }

    public KbDocument document(long kbId, long documentId) {
        return kbs.document(documentId).filter(d -> d.kbId() == kbId).orElseThrow(() -> new KbException(
                KbException.Kind.NOT_FOUND, "document_id", "knowledge base " + kbId + " has no document " + documentId));
    }

    public void deleteDocument(long kbId, long documentId) {
        document(kbId, documentId);
        kbs.deleteDocument(documentId);
    }

    /** Queues the document's ingest again (its chunks leave the search until it is ready again). */
    public KbDocument reindex(long kbId, long documentId) {
        document(kbId, documentId);
        kbs.reindex(documentId);
        ingestLoop.wakeUp();
        return document(kbId, documentId);
    }

    /** The document's chunks in order (with their embeddings). */
    public List<KbChunk> chunks(long kbId, long documentId) {
        document(kbId, documentId);
        return kbs.chunks(documentId);
    }

    /** Searches the KB: the question embedded with the KB's own model, BM25 and vectors fused, then the rerank hook. */
    public List<Hit> search(long kbId, Search search) throws InterruptedException {
        KnowledgeBase kb = get(kbId);
        check(kb, search);
        KbIndex index = indexes.current(kbId).orElseThrow(() -> notFound(kbId));
        float[] vector = null;
        if (search.vectorWeight() > 0) {
            try {
                vector = embedders.of(kb).embed(List.of(search.query())).get(0);
            } catch (EmbeddingException e) {
                throw new KbException(KbException.Kind.INVALID, "query", "cannot embed the query: " + e.getMessage());
            }
            if (vector.length != kb.embedding().dimension()) {
                throw new KbException(KbException.Kind.INVALID, "query", "the model gave a query vector of "
                        + vector.length + " dimensions; this knowledge base holds vectors of " + kb.embedding().dimension());
            }
            if (!Vectors.usable(vector)) vector = null;   // nothing to compare by meaning: the words alone decide
        }
        try {
            List<Hit> hits = index.search(new SearchQuery(search.query(), vector, search.topK(), search.filters(),
                    search.vectorWeight(), search.textWeight(), search.minScore()));
            return reranker.rerank(search.query(), hits);
        } catch (UnknownFilterException e) {
            throw new KbException(KbException.Kind.INVALID, "filters." + e.key(), e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("searching knowledge base " + kbId + " failed", e);
        }
    }

    private static void check(KnowledgeBase kb, Search s) {
        if (s.query() == null || s.query().isBlank()) {
            throw new KbException(KbException.Kind.INVALID, "query", "is required: the text to search for");
        }
        if (s.query().length() > Search.QUERY_MAX_CHARS) {
            throw new KbException(KbException.Kind.INVALID, "query", "has " + s.query().length()
                    + " characters; at most " + Search.QUERY_MAX_CHARS);
        }
        if (s.topK() < 1 || s.topK() > SearchQuery.TOP_K_MAX) {
            throw new KbException(KbException.Kind.INVALID, "top_k", "must be 1 to " + SearchQuery.TOP_K_MAX);
        }
        if (s.model() != null && !s.model().equals(kb.embedding().model())) {
            throw new KbException(KbException.Kind.INVALID, "model", "knowledge base '" + kb.name()
                    + "' is embedded with " + kb.embedding().model() + " (" + kb.embedding().dimension()
                    + " dimensions); a query embedded with " + s.model() + " cannot be compared with it");
        }
        if (!(s.vectorWeight() >= 0) || !(s.textWeight() >= 0) || s.vectorWeight() + s.textWeight() == 0) {
            throw new KbException(KbException.Kind.INVALID, "weights", "vector and text weights must be 0 or more, "
                    + "not both 0");
        }
        if (!(s.minScore() >= 0 && s.minScore() <= 1)) {
            throw new KbException(KbException.Kind.INVALID, "min_score", "must be between 0 and 1");
        }
    }

    /** Waits until the document is ready or failed, or {@code timeout} passes; returns it as it then is. */
    public KbDocument await(long kbId, long documentId, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        KbDocument doc = document(kbId, documentId);
        while (!doc.status().finished() && System.nanoTime() < end) {
            ingestLoop.wakeUp();
            Thread.sleep(50);   // polling the row: the ingest may run in another process
            doc = document(kbId, documentId);
        }
        return doc;
    }

    private static KbException notFound(long kbId) {
        return new KbException(KbException.Kind.NOT_FOUND, "id", "no knowledge base " + kbId);
    }

    @Override
    public void close() {
        ingestLoop.close();
        indexLoop.close();
        indexes.close();
    }
}
