package dev.weft.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.Catalogue;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Problems;
import dev.weft.node.Run;
import dev.weft.node.Shape;
import java.util.Iterator;
import java.util.List;

/**
 * The {@code start} node: declares the flow's typed inputs ({@code settings.inputs}) and their saved values
 * ({@code settings.data}); a run's {@code node_settings[start].data} overrides those values.
 */
public final class StartNode implements NodeType {

    @Override
    public String id() {
        return FlowNode.START;
    }

    @Override
    public Run run() {
        return Run.pure(this::run);
    }

    /** The output fields are the declared inputs. */
    @Override
    public Shape shape(ObjectNode settings, Catalogue catalogue) {
        return catalogue.shape().withFields(InputField.readAll(settings.path("inputs"), new Problems()).stream()
                .map(InputField::name).toList());
    }

    @Override
    public void check(ObjectNode settings, Problems problems) {
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
            if (field.absent(value) && field.defaultValue() != null) value = field.defaultValue();
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
            boolean empty = value != null && value.isTextual() && field.absent(value);
            if (field.absent(value) && field.defaultValue() != null) value = field.defaultValue();
            if (field.required() && field.absent(value)) {
                problems.add(field.name(), "is required (" + field.type() + ")"
                        + (empty ? "; an empty string counts as missing" : ""));
            } else {
                String wrong = field.runProblem(value);
                if (wrong != null) problems.add(field.name(), wrong);
            }
        }
    }

    /**
     * A run's values for the start node as the flow sees them: the text forms of numbers and booleans read as
     * their type ({@link InputField#coerce}), and an empty string for a required string input made null, as a
     * missing value is (its default applies, or {@link #checkRunData} refuses it). {@code overrides} itself when
     * nothing changes.
     */
    public static ObjectNode coerce(List<InputField> fields, ObjectNode overrides) {
        ObjectNode result = overrides;
        for (InputField field : fields) {
            JsonNode value = overrides.get(field.name());
            if (value == null || value.isNull()) continue;
            JsonNode coerced = field.absent(value) ? JsonNodeFactory.instance.nullNode() : field.coerce(value);
            if (coerced != value) {
                if (result == overrides) result = overrides.deepCopy();
                result.set(field.name(), coerced);
            }
        }
        return result;
    }

    NodeOutput run(NodeCall call) {
        return NodeOutput.success(values(call.settings()));
    }
}
