package dev.weft.flow;

import dev.weft.node.Problems;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Converts a flow exported from Scade ({@code {id, name, config: {nodes, edges}}}, nodes as
 * {@code {id, data: {processor, settings}}}) into a Weft flow document. Node types Weft has are mapped; the
 * others are reported by name, and nothing is imported.
 */
public final class ScadeImport {

    /** Scade processor -> Weft node type, for the processors Weft has. */
    static final Map<String, String> TYPES = Map.of(
            "start", FlowNode.START,
            "end", FlowNode.END,
            "if-condition-stop-execution", "if");

    private ScadeImport() {}

    public static boolean isScadeExport(JsonNode document) {
        JsonNode nodes = document.path("config").path("nodes");
        if (!nodes.isArray()) nodes = document.path("nodes");
        return nodes.isArray() && !nodes.isEmpty() && nodes.get(0).path("data").has("processor");
    }

    public static ObjectNode convert(JsonNode export) {
        JsonNode config = export.path("config").isObject() ? export.path("config") : export;
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("name", export.path("name").asText("Imported from Scade"));
        ArrayNode nodes = document.putArray("nodes");
        Problems problems = new Problems();
        JsonNode scadeNodes = config.path("nodes");
        for (int i = 0; i < scadeNodes.size(); i++) {
            JsonNode node = scadeNodes.get(i);
            String processor = node.path("data").path("processor").asText("");
            String type = TYPES.get(processor);
            if (type == null) {
                problems.add("config.nodes[" + i + "].data.processor", "Scade node type '" + processor + "' (node '"
                        + node.path("id").asText() + "') has no Weft equivalent");
                continue;
            }
            ObjectNode converted = nodes.addObject();
            converted.put("id", node.path("id").asText());
            converted.put("type", type);
            String name = node.path("data").path("name").asText(null);
            if (name != null) converted.put("name", name);
            converted.set("settings", settings(type, node.path("data").path("settings")));
            if (node.has("position")) converted.set("position", node.get("position"));
        }
        InvalidFlowException.throwIfAny(problems, "the Scade export uses node types Weft does not have");
        ArrayNode edges = document.putArray("edges");
        for (JsonNode edge : config.path("edges")) {
            ObjectNode converted = edges.addObject();
            converted.set("from_node", edge.get("from_node"));
            converted.set("to_node", edge.get("to_node"));
            converted.set("fields_mapping", edge.get("fields_mapping"));
        }
        return document;
    }

    private static ObjectNode settings(String type, JsonNode scade) {
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        switch (type) {
            case FlowNode.START -> {
                settings.set("inputs", scade.path("inputs").isObject() ? scade.get("inputs") : settings.objectNode());
                if (scade.path("data").isObject()) settings.set("data", scade.get("data"));
            }
            case FlowNode.END -> settings.set("outputs",
                    scade.path("inputs").isObject() ? scade.get("inputs") : settings.objectNode());
            default -> {
                // Scade's IF reads its condition from the mapped input field "condition"; a blank saved one is unset.
                JsonNode condition = scade.get("condition");
                if (condition != null && !(condition.isTextual() && condition.asText().isBlank())) {
                    settings.set("condition", condition);
                }
            }
        }
        return settings;
    }
}
