package dev.weft.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.FlowNode;
import dev.weft.flow.InputField;
import dev.weft.flow.Problems;
import dev.weft.json.Json;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code start} node: declares the flow's typed inputs ({@code settings.inputs}) and their saved values
 * ({@code settings.data}); a run's {@code node_settings[start].data} overrides those values.
 */
public final class StartNode implements NodeType {

    @Override
    public boolean pure() {
        return true;
    }

    @Override
    public String type() {
        return FlowNode.START;
    }

    /** Typed inputs, as a form: each field's type, title, whether it is required, its default and order. */
    private static final String SETTINGS_SCHEMA = """
            {"type": "object", "properties": {
              "inputs": {"type": "object", "title": "Inputs", "description": "The flow's typed inputs by name.",
                "additionalProperties": {"type": "object", "properties": {
                  "type": {"enum": ["string", "number", "integer", "boolean", "object", "array"]},
                  "title": {"type": "string"}, "description": {"type": "string"},
                  "format": {"type": "string", "description": "uri: a file or media passed as a URL"},
                  "required": {"type": "boolean"}, "default": {}, "x-order": {"type": "integer"}},
                  "required": ["type"]}},
              "data": {"type": "object", "title": "Sample values", "description": "Values used when a run gives none."}}}
            """;

    @Override
    public NodeDescription describe() {
        return new NodeDescription("Start", "flow", "Where a run begins: declares the flow's typed inputs; a run's"
                + " values (node_settings.<id>.data) are emitted as fields.", (ObjectNode) Json.read(SETTINGS_SCHEMA),
                List.of(), List.of());
    }

    @Override
    public Optional<List<String>> outputFields(ObjectNode settings) {
        return Optional.of(InputField.readAll(settings.path("inputs"), new Problems()).stream()
                .map(InputField::name).toList());
    }

    @Override
    public void validate(ObjectNode settings, Problems problems) {
        List<InputField> fields = InputField.readAll(settings.path("inputs"), problems.at("inputs"));
        JsonNode data = settings.path("data");
        if (!data.isMissingNode() && !data.isNull() && !data.isObject()) {
            problems.add("data", "must be an object of input values");
        }
        for (InputField field : fields) {
            String wrong = field.typeProblem(data.get(field.name()));
            if (wrong != null) problems.add("data." + field.name(), wrong);
        }
    }

    /** The values a run starts with: saved or overridden data, then each field's default. */
    public static ObjectNode values(ObjectNode settings) {
        List<InputField> fields = InputField.readAll(settings.path("inputs"), new Problems());
        JsonNode data = settings.path("data");
        ObjectNode values = JsonNodeFactory.instance.objectNode();
        for (InputField field : fields) {
            JsonNode value = data.get(field.name());
            if ((value == null || value.isNull()) && field.defaultValue() != null) value = field.defaultValue();
            values.set(field.name(), value == null ? JsonNodeFactory.instance.nullNode() : value);
        }
        return values;
    }

    /**
     * Checks a run's values for the start node before a task exists: unknown fields, missing required fields,
     * wrong types. Paths are relative to the overriding {@code data} object.
     */
    public static void checkRunData(ObjectNode settings, JsonNode overrides, Problems problems) {
        checkRunData(InputField.readAll(settings.path("inputs"), new Problems()), settings, overrides, problems);
    }

    /** As {@link #checkRunData(ObjectNode, JsonNode, Problems)}, with the start node's fields already read. */
    public static void checkRunData(List<InputField> fields, ObjectNode settings, JsonNode overrides,
                                    Problems problems) {
        if (overrides != null && !overrides.isNull() && !overrides.isObject()) {
            problems.add("", "must be an object of input values");
            return;
        }
        boolean given = overrides != null && overrides.isObject();
        if (given) {
            for (Iterator<String> names = overrides.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (fields.stream().noneMatch(f -> f.name().equals(name))) {
                    problems.add(name, "is not an input of this start node (inputs: "
                            + String.join(", ", fields.stream().map(InputField::name).toList()) + ")");
                }
            }
        }
        JsonNode saved = settings.path("data");
        for (InputField field : fields) {
            JsonNode value = given && overrides.has(field.name()) ? overrides.get(field.name()) : saved.get(field.name());
            if ((value == null || value.isNull()) && field.defaultValue() != null) value = field.defaultValue();
            if (field.required() && (value == null || value.isNull())) {
                problems.add(field.name(), "is required (" + field.type() + ")");
            } else {
                String wrong = field.typeProblem(value);
                if (wrong != null) problems.add(field.name(), wrong);
            }
        }
    }

    @Override
    public NodeOutput run(NodeCall call) {
        return NodeOutput.success(values(call.settings()));
    }
}
