package dev.weft.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.FlowNode;
import dev.weft.flow.InputField;
import dev.weft.flow.Problems;
import dev.weft.json.Json;
import java.util.List;

/**
 * The {@code end} node: declares the flow's output fields ({@code settings.outputs}); its step's data, one value
 * per declared field (null when no branch supplied it), is usually the task's result.
 */
public final class EndNode implements NodeType {

    @Override
    public boolean pure() {
        return true;
    }

    @Override
    public String type() {
        return FlowNode.END;
    }

    private static final String SETTINGS_SCHEMA = """
            {"type": "object", "properties": {
              "outputs": {"type": "object", "title": "Outputs", "description": "The fields the flow returns, by name.",
                "additionalProperties": {"type": "object", "properties": {
                  "type": {"enum": ["string", "number", "integer", "boolean", "object", "array"]},
                  "title": {"type": "string"}, "description": {"type": "string"}}}}}}
            """;

    @Override
    public NodeDescription describe() {
        return new NodeDescription("End", "flow", "Where a run ends: gathers the declared output fields, which"
                + " become the task's result.", (ObjectNode) Json.read(SETTINGS_SCHEMA), List.of(), List.of());
    }

    @Override
    public List<String> ports() {
        return List.of();
    }

    @Override
    public boolean needsEveryInput() {
        return false;
    }

    @Override
    public void validate(ObjectNode settings, Problems problems) {
        InputField.readAll(settings.path("outputs"), problems.at("outputs"));
    }

    public static List<String> outputNames(ObjectNode settings) {
        return InputField.readAll(settings.path("outputs"), new Problems()).stream().map(InputField::name).toList();
    }

    @Override
    public NodeOutput run(NodeCall call) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        for (String name : outputNames(call.settings())) {
            JsonNode value = call.inputs().get(name);
            result.set(name, value == null ? JsonNodeFactory.instance.nullNode() : value);
        }
        return NodeOutput.success(result);
    }
}
