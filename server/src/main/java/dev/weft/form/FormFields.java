package dev.weft.form;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.CompiledFlows;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowNode;
import dev.weft.flow.InputField;
import dev.weft.http.ApiException;
import dev.weft.json.Json;
import dev.weft.node.Problems;
import dev.weft.store.JdbcFlowStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fields a hosted form shows: the typed inputs of the start node of its flow's latest published version (the
 * one a submission runs), each with its kind of control — text, number, a checkbox, a select (an {@code enum}),
 * JSON, or a file upload ({@code format: "uri"}).
 */
public final class FormFields {

    /** One field as the form shows it; {@code choices} is empty unless the input lists an {@code enum}. */
    public record Field(InputField input, String control, String description, List<JsonNode> choices) {}

    private final JdbcFlowStore flows;
    private final CompiledFlows compiled;

    public FormFields(JdbcFlowStore flows, CompiledFlows compiled) {
        this.flows = flows;
        this.compiled = compiled;
    }

    /** The fields of {@code flowId}'s latest published version; 404 when the flow is gone or was never published. */
    public List<Field> of(long flowId) {
        JsonNode schema = start(flowId).settings().path("inputs");
        List<Field> fields = new ArrayList<>();
        for (InputField input : InputField.readAll(schema, new Problems())) {
            JsonNode spec = schema.path(input.name());
            List<JsonNode> choices = new ArrayList<>();
            spec.path("enum").forEach(choices::add);
            fields.add(new Field(input, control(input, choices), spec.path("description").asText(""), choices));
        }
        return fields;
    }

    /** The id of the start node a submission fills: the flow's default start, or its only one. */
    public String startNode(long flowId) {
        return start(flowId).id();
    }

    private FlowNode start(long flowId) {
        int version = flows.latestVersionNumber(flowId).flatMap(latest -> latest).orElseThrow(FormFields::gone);
        Flow flow = compiled.flow(flowId, version);
        Optional<FlowNode> start = Optional.ofNullable(flow.defaultStart()).map(id -> flow.nodesById().get(id));
        if (start.isPresent()) return start.get();
        List<FlowNode> starts = flow.nodesOfType(FlowNode.START);
        if (starts.size() != 1) throw gone();
        return starts.get(0);
    }

    private static String control(InputField input, List<JsonNode> choices) {
        if ("uri".equals(input.format())) return "file";
        if (!choices.isEmpty()) return "select";
        return switch (input.type()) {
            case "number", "integer" -> "number";
            case "boolean" -> "checkbox";
            case "object", "array" -> "json";
            default -> "text";
        };
    }

    /** The fields as the page reads them. */
    public static ArrayNode json(List<Field> fields) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Field field : fields) {
            InputField input = field.input();
            ObjectNode item = list.addObject();
            item.put("name", input.name());
            item.put("label", input.title());
            item.put("type", input.type());
            item.put("control", field.control());
            item.put("required", input.required());
            if (!field.description().isEmpty()) item.put("description", field.description());
            if (input.defaultValue() != null) item.set("default", input.defaultValue());
            if (!field.choices().isEmpty()) item.putArray("choices").addAll(field.choices());
        }
        return list;
    }

    static ApiException gone() {
        return new ApiException(ApiException.Kind.NOT_FOUND, "token", "this form does not exist");
    }
}
