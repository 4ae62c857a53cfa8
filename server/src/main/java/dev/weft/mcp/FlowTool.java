package dev.weft.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.FlowNode;
import dev.weft.flow.InputField;
import dev.weft.flow.McpToolSetting;
import dev.weft.json.Json;
import dev.weft.node.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One published flow offered as an MCP tool: which flow version it runs, from which start node, and the tool's
 * name, description and JSON Schemas (arguments from the start node's inputs, the result from the end node's
 * outputs) as {@code tools/list} shows them.
 */
public record FlowTool(long flowId, int version, String startNode, String name, String title, String description,
                       ObjectNode inputSchema, ObjectNode outputSchema) {

    /** The tool a published version offers, or null when its author did not turn {@code mcp_tool} on. */
    static FlowTool of(long flowId, int version, JsonNode document) {
        McpToolSetting setting = McpToolSetting.read(document, new Problems());
        if (!setting.enabled()) return null;
        List<JsonNode> nodes = new ArrayList<>();
        document.path("nodes").forEach(nodes::add);
        JsonNode start = pick(nodes, FlowNode.START, document.path("default_start_node_id").asText(null));
        JsonNode end = pick(nodes, FlowNode.END, document.path("default_end_node_id").asText(null));
        if (start == null) return null;   // several start nodes and no default: a run would have to name one
        String flowName = document.path("name").asText("");
        String name = setting.name().isEmpty() ? "flow_" + flowId : setting.name();
        String description = setting.description() != null ? setting.description()
                : "Runs the Weft flow '" + (flowName.isEmpty() ? "flow " + flowId : flowName) + "' (flow " + flowId
                + ", version " + version + ") and answers with its outputs.";
        return new FlowTool(flowId, version, start.path("id").asText(), name, flowName.isEmpty() ? null : flowName,
                description, inputSchema(start.path("settings")), end == null ? null : outputSchema(end.path("settings")));
    }

    /** The same tool under another name (two flows chose one name: the later flow's gets its id appended). */
    FlowTool named(String other) {
        return new FlowTool(flowId, version, startNode, other, title, description, inputSchema, outputSchema);
    }

    private static JsonNode pick(List<JsonNode> nodes, String type, String preferred) {
        List<JsonNode> ofType = nodes.stream().filter(n -> type.equals(n.path("type").asText())).toList();
        if (preferred != null) {
            for (JsonNode node : ofType) if (preferred.equals(node.path("id").asText())) return node;
        }
        return ofType.size() == 1 ? ofType.get(0) : null;
    }

    /** The start node's inputs as a JSON Schema: types, formats, titles, descriptions, defaults, required. */
    static ObjectNode inputSchema(JsonNode startSettings) {
        JsonNode declared = startSettings.path("inputs");
        JsonNode saved = startSettings.path("data");
        ObjectNode schema = Json.object().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = Json.MAPPER.createArrayNode();
        for (InputField field : InputField.readAll(declared, new Problems())) {
            ObjectNode property = properties.putObject(field.name());
            property.put("type", field.type());
            if (field.format() != null && !field.format().isEmpty()) property.put("format", field.format());
            if (!field.title().equals(field.name())) property.put("title", field.title());
            JsonNode description = declared.path(field.name()).path("description");
            if (description.isTextual()) property.put("description", description.asText());
            JsonNode fallback = field.defaultValue() != null ? field.defaultValue() : saved.get(field.name());
            if (fallback != null && !fallback.isNull()) property.set("default", fallback);
            else if (field.required()) required.add(field.name());
        }
        if (!required.isEmpty()) schema.set("required", required);
        schema.put("additionalProperties", false);
        return schema;
    }

    /**
     * The end node's outputs as a JSON Schema, or null when it declares none. A value may be null (no branch
     * supplied it), and a declared type is not enforced by the engine, so only explicitly typed fields carry one.
     */
    static ObjectNode outputSchema(JsonNode endSettings) {
        JsonNode declared = endSettings.path("outputs");
        List<InputField> fields = InputField.readAll(declared, new Problems());
        if (fields.isEmpty()) return null;
        ObjectNode schema = Json.object().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        for (InputField field : fields) {
            ObjectNode property = properties.putObject(field.name());
            if (declared.path(field.name()).path("type").isTextual()) {
                property.putArray("type").add(field.type()).add("null");
            }
            if (!field.title().equals(field.name())) property.put("title", field.title());
            JsonNode description = declared.path(field.name()).path("description");
            if (description.isTextual()) property.put("description", description.asText());
        }
        return schema;
    }

    /** A schema as the SDK's builders take it. */
    static Map<String, Object> asMap(ObjectNode schema) {
        return Json.MAPPER.convertValue(schema, Json.MAPPER.getTypeFactory().constructMapType(Map.class, String.class,
                Object.class));
    }
}
