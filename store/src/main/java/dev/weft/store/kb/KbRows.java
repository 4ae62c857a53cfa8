package dev.weft.store.kb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.weft.json.Json;
import dev.weft.store.Rows;
import dev.weft.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** How knowledge-base rows map to records, and the one write every change to searchable chunks goes through. */
final class KbRows {

    static final String KB_COLUMNS = "id, name, description, embedding_provider, embedding_model, dimension, "
            + "embedding_url, credential, chunk_tokens, chunk_overlap, version, created_at";
    static final String DOC_COLUMNS = "id, kb_id, source_name, media_type, size, sha256, metadata, status, reason, "
            + "chunks_done, chunks_total, generation, attempts, created_at, updated_at";
    static final String CHUNK_COLUMNS = "id, kb_id, document_id, ordinal, text, page, section, start_offset, "
            + "end_offset, tokens, metadata, embedding";

    /** Bumped under the KB row's lock, so that changes commit in version order in every database. */
    private static final String BUMP = "UPDATE knowledge_bases SET version = version + 1 WHERE id = ? RETURNING version";
    private static final String CHANGE = "INSERT INTO kb_changes (kb_id, version, document_id, kind) VALUES (?, ?, ?, ?)";
    private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};

    private KbRows() {}

    /** Records that {@code documentId}'s chunks changed in {@code kbId}; returns the KB's new version. */
    static long change(Tx tx, long kbId, long documentId, KbChange.Kind kind) throws SQLException {
        long version = Rows.one(tx, BUMP, row -> row.getLong(1), kbId)
                .orElseThrow(() -> new IllegalStateException("knowledge base " + kbId + " vanished in a change"));
        Rows.update(tx, CHANGE, kbId, version, documentId, kind.name().toLowerCase(java.util.Locale.ROOT));
        return version;
    }

    static KnowledgeBase kb(ResultSet row) throws SQLException {
        return new KnowledgeBase(row.getLong("id"), row.getString("name"), row.getString("description"),
                new KnowledgeBase.Embedding(KnowledgeBase.Embedding.Provider.of(row.getString("embedding_provider")),
                        row.getString("embedding_model"), row.getInt("dimension"), row.getString("embedding_url"),
                        row.getString("credential")),
                new KnowledgeBase.Chunking(row.getInt("chunk_tokens"), row.getInt("chunk_overlap")),
                row.getLong("version"), Instant.ofEpochMilli(row.getLong("created_at")));
    }

    static KbDocument document(ResultSet row) throws SQLException {
        int total = row.getInt("chunks_total");
        Integer chunksTotal = row.wasNull() ? null : total;
        return new KbDocument(row.getLong("id"), row.getLong("kb_id"), row.getString("source_name"),
                row.getString("media_type"), row.getLong("size"), row.getString("sha256"),
                map(row.getString("metadata")), KbDocument.Status.of(row.getString("status")), row.getString("reason"),
                row.getInt("chunks_done"), chunksTotal, row.getInt("generation"), row.getInt("attempts"),
                Instant.ofEpochMilli(row.getLong("created_at")), Instant.ofEpochMilli(row.getLong("updated_at")));
    }

    static KbChunk chunk(ResultSet row) throws SQLException {
        int page = row.getInt("page");
        Integer pageOrNull = row.wasNull() ? null : page;
        return new KbChunk(row.getLong("id"), row.getLong("kb_id"), row.getLong("document_id"), row.getInt("ordinal"),
                row.getString("text"), new KbChunk.Source(pageOrNull, row.getString("section"),
                row.getInt("start_offset"), row.getInt("end_offset")), row.getInt("tokens"),
                map(row.getString("metadata")), Vectors.floats(row.getBytes("embedding")));
    }

    static KbChange change(ResultSet row) throws SQLException {
        return new KbChange(row.getLong("kb_id"), row.getLong("version"), row.getLong("document_id"),
                KbChange.Kind.valueOf(row.getString("kind").toUpperCase(java.util.Locale.ROOT)));
    }

    static String json(Map<String, String> map) {
        return Json.write(map == null ? Map.of() : map);
    }

    static Map<String, String> map(String json) {
        try {
            return Json.MAPPER.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored metadata is not a JSON object of strings: " + e.getMessage(), e);
        }
    }
}
