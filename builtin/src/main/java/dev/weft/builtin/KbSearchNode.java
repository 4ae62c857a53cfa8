package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Run;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code kb_search} node: searches a knowledge base (hybrid: meaning and words) for its rendered {@code query}
 * and emits the passages found as {@code chunks} (text, score, source, metadata) and as {@code context}, the
 * passages joined for a prompt, each with its source, as many as fit the token budget.
 */
public final class KbSearchNode implements NodeType {

    public static final String TYPE = "kb_search";
    static final int TOP_K_DEFAULT = 5;
    static final int CONTEXT_TOKENS_DEFAULT = 2000;

    private final Knowledge knowledge;

    public KbSearchNode(Knowledge knowledge) {
        this.knowledge = knowledge;
    }

    @Override
    public String id() {
        return TYPE;
    }

    @Override
    public Run run() {
        return Run.blocking(this::run);
    }

    public NodeOutput run(NodeCall call) throws InterruptedException {
        ObjectNode settings = call.settings();
        JsonNode weights = settings.path("weights");
        Knowledge.Query query = new Knowledge.Query(settings.get("query").asText(),
                settings.path("top_k").asInt(TOP_K_DEFAULT), settings.path("min_score").asDouble(0),
                filters(settings.path("filters")), weights.path("vector").asDouble(1), weights.path("text").asDouble(1));
        List<Knowledge.Passage> found = knowledge.forTask(call.taskId()).search(settings.get("knowledge_base").asText(), query);
        ObjectNode data = Json.object();
        ArrayNode chunks = data.putArray("chunks");
        for (Knowledge.Passage p : found) chunks.add(json(p));
        data.put("context", Contexts.join(found, settings.path("context_tokens").asInt(CONTEXT_TOKENS_DEFAULT)));
        return NodeOutput.success(data);
    }

    /** Filters as settings give them: key → a value or a list of values. */
    static Map<String, List<String>> filters(JsonNode filters) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        filters.fields().forEachRemaining(e -> {
            List<String> values = new ArrayList<>();
            if (e.getValue().isArray()) e.getValue().forEach(v -> values.add(v.asText()));
            else values.add(e.getValue().asText());
            map.put(e.getKey(), values);
        });
        return map;
    }

    static ObjectNode json(Knowledge.Passage p) {
        ObjectNode chunk = Json.object();
        chunk.put("text", p.text());
        chunk.put("score", p.score());
        ObjectNode source = chunk.putObject("source");
        source.put("document", p.document());
        source.put("document_id", p.documentId());
        if (p.page() != null) source.put("page", p.page());
        if (p.section() != null) source.put("section", p.section());
        source.put("start", p.start());
        source.put("end", p.end());
        ObjectNode metadata = chunk.putObject("metadata");
        p.metadata().forEach(metadata::put);
        return chunk;
    }
}
