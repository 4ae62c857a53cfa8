package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.FlowNode;
import dev.weft.task.StepState;
import dev.weft.template.Paths;
import dev.weft.template.Template;
import java.util.Iterator;
import java.util.Map;

/**
 * Gathers what a step gets: its input fields from the edges whose source emitted on the mapped port (the first
 * such edge wins when several feed one field), and its settings with every {@code {{ }}} reference rendered.
 */
final class Inputs {

    private Inputs() {}

    static ObjectNode gather(Graph graph, String id, Steps steps) {
        ObjectNode inputs = JsonNodeFactory.instance.objectNode();
        for (Incoming in : graph.incoming(id)) {
            if (in.runAfterOnly() || inputs.has(in.toField())) continue;
            if (steps.get(in.fromNode()) instanceof Step.Finished f && f.emitted(in.ref().port())) {
                ObjectNode data = f.record().outputs();
                JsonNode value = in.ref().field() == null ? data
                        : Paths.at(data, Template.segments(in.ref().field()), 0);
                // a copy: a node that changes its inputs must not change what the upstream step emitted
                inputs.set(in.toField(), value.isMissingNode() ? JsonNodeFactory.instance.nullNode() : value.deepCopy());
            }
        }
        return inputs;
    }

    /** The node's saved settings, overridden for this run, with templates rendered (start and end: as saved). */
    static ObjectNode settings(Graph graph, FlowNode node, JsonNode override, ObjectNode inputs,
                               Steps steps) {
        ObjectNode settings = Overrides.apply(node, override);
        if (node.isStart() || node.isEnd()) return settings;
        java.util.Set<String> raw = graph.nodeType(node.id()).rawSettings();
        java.util.function.Function<String, JsonNode> resolve = reference -> resolve(graph, reference, inputs, steps);
        for (Iterator<Map.Entry<String, JsonNode>> it = settings.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (raw.contains(field.getKey())) continue;
            JsonNode rendered = render(field.getValue(), resolve);
            if (rendered != field.getValue()) field.setValue(rendered);
        }
        return settings;
    }

    /** The value a {@code {{ reference }}} names: a copy, so that rendered settings share nothing with steps. */
    static JsonNode resolve(Graph graph, String reference, ObjectNode inputs, Steps steps) {
        String[] segments = Template.segments(reference);
        if (graph.isNodeId(segments[0])) {
            if (steps.get(segments[0]) instanceof Step.Finished f && f.state() == StepState.DONE
                    && f.record().outputs() != null) {
                return Paths.at(f.record().outputs(), segments, 1).deepCopy();
            }
            return MissingNode.getInstance();
        }
        return Paths.at(inputs, segments, 0).deepCopy();
    }

    private static JsonNode render(JsonNode value, java.util.function.Function<String, JsonNode> resolve) {
        if (value.isTextual()) {
            String text = value.asText();
            return Template.hasPlaceholders(text) ? Template.parse(text).renderValue(resolve) : value;
        }
        if (value.isObject()) {
            ObjectNode object = (ObjectNode) value;
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode rendered = render(field.getValue(), resolve);
                if (rendered != field.getValue()) field.setValue(rendered);
            }
            return object;
        }
        if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                JsonNode rendered = render(value.get(i), resolve);
                if (rendered != value.get(i)) ((com.fasterxml.jackson.databind.node.ArrayNode) value).set(i, rendered);
            }
        }
        return value;
    }
}
