package dev.weft.gallery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.weft.flow.ScadeImport;
import dev.weft.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One ready flow of the templates gallery: what it does, what it needs before it runs (credentials, knowledge
 * bases, flows made with it), and its document: a Weft flow, or a Scade export that is imported as any export is.
 * A setting whose whole text is {@code {{template:<id>}}} stands for the id of a flow made from that template when
 * this one is used (the agent's flow tool).
 */
public record FlowTemplate(String id, String name, String description, List<String> tags, ObjectNode needs,
                       ObjectNode document) {

    /** The kinds of need, each a list in {@link #needs()} (empty when none). */
    public static final List<String> NEEDS = List.of("credentials", "knowledge_bases", "flows");

    private static final String REFERENCE_START = "{{template:";

    public FlowTemplate {
        tags = List.copyOf(tags);
    }

    /** {@code "scade"} for a Scade export (converted when a flow is made from it), else {@code "weft"}. */
    public String format() {
        return ScadeImport.isScadeExport(document) ? "scade" : "weft";
    }

    /** The templates whose flows this one's document refers to, in order. */
    public List<String> companions() {
        Set<String> ids = new LinkedHashSet<>();
        needs.path("flows").forEach(flow -> ids.add(flow.path("template").asText()));
        return List.copyOf(ids);
    }

    /** A copy of the document named {@code name}, its {@code {{template:<id>}}} references replaced from {@code made}. */
    public ObjectNode document(String name, Map<String, Long> made) {
        ObjectNode copy = document.deepCopy();
        copy.put("name", name);
        replace(copy, made);
        return copy;
    }

    /** The gallery's card: id, name, description, tags, format, node types and needs. */
    public ObjectNode summary() {
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("name", name);
        json.put("description", description);
        ArrayNode tagList = json.putArray("tags");
        tags.forEach(tagList::add);
        json.put("format", format());
        ArrayNode types = json.putArray("node_types");
        nodeTypes().forEach(types::add);
        json.set("needs", needs.deepCopy());
        return json;
    }

    /** The node types the flow uses, in order of first use (a Scade export's processors). */
    private List<String> nodeTypes() {
        Set<String> types = new LinkedHashSet<>();
        JsonNode nodes = document.path("config").path("nodes").isArray() ? document.path("config").path("nodes")
                : document.path("nodes");
        for (JsonNode node : nodes) {
            types.add(node.has("type") ? node.path("type").asText() : node.path("data").path("processor").asText());
        }
        return new ArrayList<>(types);
    }

    private static void replace(JsonNode node, Map<String, Long> made) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                Long id = reference(field.getValue(), made);
                if (id != null) field.setValue(object.numberNode(id));
                else replace(field.getValue(), made);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                Long id = reference(array.get(i), made);
                if (id != null) array.set(i, array.numberNode(id));
                else replace(array.get(i), made);
            }
        }
    }

    private static Long reference(JsonNode value, Map<String, Long> made) {
        if (!(value instanceof TextNode text) || !text.asText().startsWith(REFERENCE_START)
                || !text.asText().endsWith("}}")) {
            return null;
        }
        String id = text.asText().substring(REFERENCE_START.length(), text.asText().length() - 2);
        Long flow = made.get(id);
        if (flow == null) throw new IllegalStateException("template flow reference " + text + " names no flow made with it");
        return flow;
    }
}
