package dev.weft.store.kb;

import dev.weft.store.Database;
import dev.weft.store.Rows;
import dev.weft.store.StoreException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Knowledge bases and their documents as stored: the truth that every process's search index follows. Adding,
 * deleting or re-indexing a document is one transaction through the writer; deleting or re-indexing records a
 * {@link KbChange} so that indexes drop what they held. The ingest itself is {@link JdbcKbIngests}.
 */
public final class JdbcKnowledgeBases {

    private static final String INSERT_KB = """
            INSERT INTO knowledge_bases (name, description, embedding_provider, embedding_model, dimension,
                embedding_url, credential, chunk_tokens, chunk_overlap, created_at, workspace_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""";
    private static final String KB_BY_NAME = "SELECT id FROM knowledge_bases WHERE name = ? AND workspace_id = ?";
    private static final String SELECT_KB_IN = "SELECT " + KbRows.KB_COLUMNS
            + " FROM knowledge_bases WHERE id = ? AND workspace_id = ?";
    private static final String SELECT_KB_BY_NAME_IN = "SELECT " + KbRows.KB_COLUMNS
            + " FROM knowledge_bases WHERE name = ? AND workspace_id = ?";
    private static final String LIST_KBS_IN = "SELECT " + KbRows.KB_COLUMNS
            + " FROM knowledge_bases WHERE workspace_id = ? ORDER BY id";
    private static final String TASK_WORKSPACE = "SELECT workspace_id FROM tasks WHERE id = ?";
    private static final String SELECT_KB = "SELECT " + KbRows.KB_COLUMNS + " FROM knowledge_bases WHERE id = ?";
    private static final String SELECT_KB_BY_NAME = "SELECT " + KbRows.KB_COLUMNS
            + " FROM knowledge_bases WHERE name = ? ORDER BY id LIMIT 1";
    private static final String LIST_KBS = "SELECT " + KbRows.KB_COLUMNS + " FROM knowledge_bases ORDER BY id";
    private static final String DELETE_KB = "DELETE FROM knowledge_bases WHERE id = ?";
    private static final String KB_VERSION = "SELECT version FROM knowledge_bases WHERE id = ?";
    private static final String INSERT_DOC = """
            INSERT INTO kb_documents (kb_id, source_name, media_type, size, sha256, metadata, content, status,
                created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?) RETURNING id""";
    private static final String SELECT_DOC = "SELECT " + KbRows.DOC_COLUMNS + " FROM kb_documents WHERE id = ?";
    private static final String LIST_DOCS = "SELECT " + KbRows.DOC_COLUMNS + " FROM kb_documents WHERE kb_id = ? ORDER BY id";
    private static final String CONTENT = "SELECT content FROM kb_documents WHERE id = ?";
    private static final String DOC_KB = "SELECT kb_id, status FROM kb_documents WHERE id = ?";
    private static final String DELETE_DOC = "DELETE FROM kb_documents WHERE id = ?";
    private static final String DELETE_CHUNKS = "DELETE FROM kb_chunks WHERE document_id = ?";
    private static final String REQUEUE = """
            UPDATE kb_documents SET status = 'queued', reason = NULL, chunks_done = 0, chunks_total = NULL,
                generation = generation + 1, attempts = 0, lease_owner = NULL, lease_until = NULL, updated_at = ?
            WHERE id = ?""";
    private static final String CHUNKS_OF = "SELECT " + KbRows.CHUNK_COLUMNS
            + " FROM kb_chunks WHERE document_id = ? ORDER BY ordinal";
    private static final String CHANGES_AFTER = """
            SELECT kb_id, version, document_id, kind FROM kb_changes WHERE kb_id = ? AND version > ?
            ORDER BY version LIMIT ?""";
    private static final String READY_DOCS = "SELECT id FROM kb_documents WHERE kb_id = ? AND status = 'ready' ORDER BY id";

    private final Database database;
    private final Clock clock;

    public JdbcKnowledgeBases(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Creates a KB in the default workspace; empty when one with that name exists there. */
    public Optional<KnowledgeBase> create(KnowledgeBase.New kb) {
        return create(Database.DEFAULT_WORKSPACE, kb);
    }

    /** Creates a KB in workspace {@code workspaceId}; empty when one with that name exists there. */
    public Optional<KnowledgeBase> create(long workspaceId, KnowledgeBase.New kb) {
        Long id = database.writer().run(tx -> {
            if (Rows.one(tx, KB_BY_NAME, row -> row.getLong(1), kb.name(), workspaceId).isPresent()) return null;
            KnowledgeBase.Embedding e = kb.embedding();
            return Rows.one(tx, INSERT_KB, row -> row.getLong(1), kb.name(), kb.description(), e.provider().word(),
                    e.model(), e.dimension(), e.url(), e.credential(), kb.chunking().tokens(),
                    kb.chunking().overlap(), clock.millis(), workspaceId).orElseThrow();
        });
        return id == null ? Optional.empty() : find(id);
    }

    /** The KB with that id if it belongs to workspace {@code workspaceId}. */
    public Optional<KnowledgeBase> find(long workspaceId, long id) {
        return Rows.one(database.readers(), SELECT_KB_IN, KbRows::kb, id, workspaceId);
    }

    /** Workspace {@code workspaceId}'s KB of that name (names are unique in a workspace). */
    public Optional<KnowledgeBase> findByName(long workspaceId, String name) {
        return Rows.one(database.readers(), SELECT_KB_BY_NAME_IN, KbRows::kb, name, workspaceId);
    }

    /** Workspace {@code workspaceId}'s KBs. */
    public List<KnowledgeBase> list(long workspaceId) {
        return Rows.list(database.readers(), LIST_KBS_IN, KbRows::kb, workspaceId);
    }

    /** The workspace of task {@code taskId}, whose steps use that workspace's KBs; empty when there is no task. */
    public Optional<Long> taskWorkspace(long taskId) {
        return Rows.one(database.readers(), TASK_WORKSPACE, row -> row.getLong(1), taskId);
    }

    public Optional<KnowledgeBase> find(long id) {
        return Rows.one(database.readers(), SELECT_KB, KbRows::kb, id);
    }

    /** Any workspace's KB of that name (the first by id); nodes use {@link #findByName(long, String)}. */
    public Optional<KnowledgeBase> findByName(String name) {
        return Rows.one(database.readers(), SELECT_KB_BY_NAME, KbRows::kb, name);
    }

    public List<KnowledgeBase> list() {
        return Rows.list(database.readers(), LIST_KBS, KbRows::kb);
    }

    /** Deletes a KB with its documents, chunks and changes; false when there is none. */
    public boolean delete(long id) {
        return database.writer().run(tx -> Rows.update(tx, DELETE_KB, id)) > 0;
    }

    /** The KB's version (how many changes its searchable chunks had), or empty when it is gone. */
    public Optional<Long> version(long kbId) {
        return Rows.one(database.readers(), KB_VERSION, row -> row.getLong(1), kbId);
    }

    /** Adds a document, queued for ingest; empty when the KB does not exist. */
    public Optional<KbDocument> addDocument(long kbId, KbDocument.New doc) {
        long now = clock.millis();
        Long id = database.writer().run(tx -> {
            if (Rows.one(tx, KB_VERSION, row -> row.getLong(1), kbId).isEmpty()) return null;
            return Rows.one(tx, INSERT_DOC, row -> row.getLong(1), kbId, doc.sourceName(), doc.mediaType(),
                    (long) doc.content().length, sha256(doc.content()), KbRows.json(doc.metadata()), doc.content(),
                    now, now).orElseThrow();
        });
        return id == null ? Optional.empty() : document(id);
    }

    public Optional<KbDocument> document(long id) {
        return Rows.one(database.readers(), SELECT_DOC, KbRows::document, id);
    }

    public List<KbDocument> documents(long kbId) {
        return Rows.list(database.readers(), LIST_DOCS, KbRows::document, kbId);
    }

    /** The document's bytes as uploaded. */
    public Optional<byte[]> content(long documentId) {
        return Rows.one(database.readers(), CONTENT, row -> row.getBytes(1), documentId);
    }

    /** Deletes a document and its chunks, and tells the indexes; false when there is none. */
    public boolean deleteDocument(long documentId) {
        return database.writer().run(tx -> {
            Optional<Long> kb = Rows.one(tx, DOC_KB, row -> row.getLong(1), documentId);
            if (kb.isEmpty()) return false;
            Rows.update(tx, DELETE_DOC, documentId);
            KbRows.change(tx, kb.get(), documentId, KbChange.Kind.REMOVED);
            return true;
        });
    }

    /**
     * Queues a document for ingest again (a new generation: a worker still on the old one can write nothing). Its
     * chunks leave the search at once, in every process alike, and come back when the new ones are ready. False
     * when there is no such document.
     */
    public boolean reindex(long documentId) {
        return database.writer().run(tx -> {
            Optional<Long> kb = Rows.one(tx, DOC_KB, row -> row.getLong(1), documentId);
            if (kb.isEmpty()) return false;
            Rows.update(tx, REQUEUE, clock.millis(), documentId);
            deleteChunks(tx, documentId);
            KbRows.change(tx, kb.get(), documentId, KbChange.Kind.REMOVED);
            return true;
        });
    }

    /** The document's chunks in order, with their embeddings. */
    public List<KbChunk> chunks(long documentId) {
        return Rows.list(database.readers(), CHUNKS_OF, KbRows::chunk, documentId);
    }

    /** Up to {@code limit} changes of the KB after {@code version}, in order. */
    public List<KbChange> changesAfter(long kbId, long version, int limit) {
        return Rows.list(database.readers(), CHANGES_AFTER, KbRows::change, kbId, version, limit);
    }

    /** The ids of the KB's ready documents (what a rebuilt index holds). */
    public List<Long> readyDocuments(long kbId) {
        return Rows.list(database.readers(), READY_DOCS, row -> row.getLong(1), kbId);
    }

    static void deleteChunks(dev.weft.store.Tx tx, long documentId) throws SQLException {
        Rows.update(tx, DELETE_CHUNKS, documentId);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new StoreException("every JVM has SHA-256", e);
        }
    }
}
