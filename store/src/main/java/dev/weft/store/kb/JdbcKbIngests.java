package dev.weft.store.kb;

import dev.weft.store.Database;
import dev.weft.store.Rows;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Document ingests as durable background work, leased like the task queue: a process claims queued documents (or
 * ones whose lease ran out: their process died), parses them into chunks, embeds the chunks in batches and marks
 * the document ready. Every write names the claim (owner and generation) and is refused with
 * {@link IngestLostException} when the claim is gone, so a process that lost a document changes nothing. Chunks and
 * their embeddings are committed as they go, so a taken-over ingest resumes at the first chunk without a vector.
 */
public final class JdbcKbIngests {

    public static final Duration LEASE_DEFAULT = Duration.ofMinutes(2);

    private static final String CLAIM = """
            UPDATE kb_documents
            SET status = CASE WHEN status = 'queued' THEN 'parsing' ELSE status END, lease_owner = ?,
                lease_until = ?, attempts = attempts + 1, updated_at = ?
            WHERE id IN (
                SELECT id FROM kb_documents
                WHERE status = 'queued' OR (status IN ('parsing', 'embedding') AND lease_until < ?)
                ORDER BY id LIMIT ? ${skip_locked})
            RETURNING\s""" + KbRows.DOC_COLUMNS;
    private static final String HELD = " WHERE id = ? AND lease_owner = ? AND generation = ?";
    private static final String RENEW = "UPDATE kb_documents SET lease_until = ?, updated_at = ?" + HELD;
    private static final String INSERT_CHUNK = """
            INSERT INTO kb_chunks (kb_id, document_id, ordinal, text, page, section, start_offset, end_offset, tokens,
                metadata)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String EMBEDDING = """
            UPDATE kb_documents SET status = 'embedding', chunks_total = ?, chunks_done = 0, lease_until = ?,
                updated_at = ?""" + HELD;
    private static final String UNEMBEDDED = "SELECT " + KbRows.CHUNK_COLUMNS
            + " FROM kb_chunks WHERE document_id = ? AND embedding IS NULL ORDER BY ordinal LIMIT ?";
    private static final String SET_VECTOR = "UPDATE kb_chunks SET embedding = ? WHERE id = ? AND document_id = ?";
    private static final String PROGRESS = """
            UPDATE kb_documents SET chunks_done = chunks_done + ?, lease_until = ?, updated_at = ?""" + HELD;
    private static final String READY = """
            UPDATE kb_documents SET status = 'ready', lease_owner = NULL, lease_until = NULL, updated_at = ?""" + HELD;
    private static final String FAILED = """
            UPDATE kb_documents SET status = 'failed', reason = ?, chunks_done = 0, chunks_total = NULL,
                lease_owner = NULL, lease_until = NULL, updated_at = ?""" + HELD;

    private final Database database;
    private final Clock clock;
    private final String owner;
    private final Duration lease;
    private final String claimSql;

    public JdbcKbIngests(Database database, Clock clock, String owner, Duration lease) {
        this.database = database;
        this.clock = clock;
        this.owner = owner;
        this.lease = lease;
        this.claimSql = database.dialect().sql(CLAIM);
    }

    /** Claims up to {@code limit} documents to ingest: queued ones, and those whose process's lease ran out. */
    public List<KbDocument> claim(int limit) {
        long now = clock.millis();
        return database.writer().run(tx -> Rows.list(tx, claimSql, KbRows::document, owner, now + lease.toMillis(),
                now, now, limit));
    }

    /** Keeps the claim on {@code doc} for another lease. */
    public void renew(KbDocument doc) {
        long now = clock.millis();
        held(doc, database.writer().run(tx -> Rows.update(tx, RENEW, now + lease.toMillis(), now, doc.id(), owner,
                doc.generation())));
    }

    /**
     * Replaces the document's chunks with {@code chunks} (not yet embedded) and moves it to {@code embedding}: from
     * here a crash resumes with embedding, not parsing.
     */
    public void storeChunks(KbDocument doc, List<KbChunk.New> chunks) {
        long now = clock.millis();
        String metadata = KbRows.json(doc.metadata());
        database.writer().run(tx -> {
            held(doc, Rows.update(tx, EMBEDDING, chunks.size(), now + lease.toMillis(), now, doc.id(), owner,
                    doc.generation()));
            JdbcKnowledgeBases.deleteChunks(tx, doc.id());
            PreparedStatement insert = tx.prepare(INSERT_CHUNK);
            for (KbChunk.New c : chunks) {
                Rows.bind(insert, doc.kbId(), doc.id(), c.ordinal(), c.text(), c.source().page(), c.source().section(),
                        c.source().start(), c.source().end(), c.tokens(),
                        c.metadata().isEmpty() ? metadata : KbRows.json(merged(doc.metadata(), c.metadata())));
                insert.addBatch();
            }
            insert.executeBatch();
            return null;
        });
    }

    /** Up to {@code limit} of the document's chunks that have no embedding yet, in order. */
    public List<KbChunk> unembedded(KbDocument doc, int limit) {
        return Rows.list(database.readers(), UNEMBEDDED, KbRows::chunk, doc.id(), limit);
    }

    /** Stores the embeddings of some of the document's chunks (chunk id to vector) and counts them done. */
    public void saveEmbeddings(KbDocument doc, Map<Long, float[]> vectors) {
        long now = clock.millis();
        database.writer().run(tx -> {
            held(doc, Rows.update(tx, PROGRESS, vectors.size(), now + lease.toMillis(), now, doc.id(), owner,
                    doc.generation()));
            PreparedStatement update = tx.prepare(SET_VECTOR);
            for (Map.Entry<Long, float[]> e : vectors.entrySet()) {
                Rows.bind(update, Vectors.bytes(e.getValue()), e.getKey(), doc.id());
                update.addBatch();
            }
            update.executeBatch();
            return null;
        });
    }

    /** Marks the document ready and tells every index to take its chunks; returns the KB's new version. */
    public long ready(KbDocument doc) {
        return database.writer().run(tx -> {
            held(doc, Rows.update(tx, READY, clock.millis(), doc.id(), owner, doc.generation()));
            return KbRows.change(tx, doc.kbId(), doc.id(), KbChange.Kind.READY);
        });
    }

    /** Marks the document failed with {@code reason}; its chunks are dropped, nothing else in the KB changes. */
    public void failed(KbDocument doc, String reason) {
        database.writer().run(tx -> {
            held(doc, Rows.update(tx, FAILED, reason, clock.millis(), doc.id(), owner, doc.generation()));
            JdbcKnowledgeBases.deleteChunks(tx, doc.id());
            return null;
        });
    }

    public String owner() {
        return owner;
    }

    private void held(KbDocument doc, int updated) {
        if (updated == 0) throw new IngestLostException(doc.id(), owner);
    }

    private static Map<String, String> merged(Map<String, String> document, Map<String, String> chunk) {
        Map<String, String> all = new java.util.LinkedHashMap<>(document);
        all.putAll(chunk);
        return all;
    }
}
