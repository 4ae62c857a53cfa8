package dev.weft.manage;

import dev.weft.http.TaskJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.store.kb.KbChunk;
import dev.weft.store.kb.KbDocument;
import dev.weft.store.kb.KnowledgeBase;
import dev.weft.kb.index.Hit;
import java.util.Map;

/** Knowledge bases, documents, chunks and search hits as the API shows them. */
final class KbJson {

    private KbJson() {}

    static ObjectNode kb(KnowledgeBase kb) {
        ObjectNode json = Json.object();
        json.put("id", kb.id());
        json.put("name", kb.name());
        if (kb.description() == null) json.putNull("description");
        else json.put("description", kb.description());
        ObjectNode e = json.putObject("embedding");
        e.put("provider", kb.embedding().provider().word());
        e.put("model", kb.embedding().model());
        e.put("dimension", kb.embedding().dimension());
        if (kb.embedding().url() != null) e.put("url", kb.embedding().url());
        if (kb.embedding().credential() != null) e.put("credential", kb.embedding().credential());
        json.putObject("chunking").put("tokens", kb.chunking().tokens()).put("overlap", kb.chunking().overlap());
        json.put("version", kb.version());
        TaskJson.time(json, "created_at", kb.createdAt());
        return json;
    }

    static ObjectNode document(KbDocument d) {
        ObjectNode json = Json.object();
        json.put("id", d.id());
        json.put("knowledge_base_id", d.kbId());
        json.put("name", d.sourceName());
        json.put("media_type", d.mediaType());
        json.put("size", d.size());
        json.put("sha256", d.sha256());
        json.put("status", d.status().word());
        if (d.reason() == null) json.putNull("reason");
        else json.put("reason", d.reason());
        ObjectNode progress = json.putObject("chunks");
        progress.put("done", d.chunksDone());
        if (d.chunksTotal() == null) progress.putNull("total");
        else progress.put("total", d.chunksTotal());
        json.put("attempts", d.attempts());
        metadata(json, d.metadata());
        TaskJson.time(json, "created_at", d.createdAt());
        TaskJson.time(json, "updated_at", d.updatedAt());
        return json;
    }

    static ObjectNode chunk(KbChunk c) {
        ObjectNode json = Json.object();
        json.put("id", c.id());
        json.put("ordinal", c.ordinal());
        json.put("text", c.text());
        json.put("tokens", c.tokens());
        source(json, c.source());
        metadata(json, c.metadata());
        json.put("embedded", c.embedding() != null);
        return json;
    }

    static ObjectNode hit(Hit h) {
        ObjectNode json = Json.object();
        json.put("chunk_id", h.chunkId());
        json.put("document_id", h.documentId());
        json.put("ordinal", h.ordinal());
        json.put("text", h.text());
        json.put("score", h.score());
        if (h.vectorScore() == null) json.putNull("vector_score");
        else json.put("vector_score", h.vectorScore());
        if (h.textScore() == null) json.putNull("text_score");
        else json.put("text_score", h.textScore());
        source(json, h.source());
        metadata(json, h.metadata());
        return json;
    }

    private static void source(ObjectNode json, KbChunk.Source s) {
        ObjectNode source = json.putObject("source");
        if (s.page() == null) source.putNull("page");
        else source.put("page", s.page());
        if (s.section() == null) source.putNull("section");
        else source.put("section", s.section());
        source.put("start", s.start());
        source.put("end", s.end());
    }

    private static void metadata(ObjectNode json, Map<String, String> metadata) {
        ObjectNode m = json.putObject("metadata");
        metadata.forEach(m::put);
    }
}
