package dev.weft.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.builtin.PinnedNode;
import dev.weft.flow.FlowValidator;
import dev.weft.flow.InvalidFlowException;
import dev.weft.flow.ScadePlaceholderNode;
import dev.weft.http.ApiException;
import dev.weft.json.Json;
import dev.weft.node.NodeType;
import dev.weft.node.Problems;
import dev.weft.node.Shape;
import dev.weft.registry.RegisteredType;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the document a test-run runs from a flow's draft: the whole draft, checked as publishing checks it, with
 * each node whose output is pinned ({@code "pinned": {"outputs": {...}, "port"?}} on the node) standing in by a
 * {@code pinned} node that emits that output without running; or one node alone, fed the inputs a caller gives.
 * Pins live only in the draft: what a published version runs never reads them.
 */
public final class DraftDocuments {

    /** The node field that holds a node's pinned output in a draft. */
    public static final String PINNED = "pinned";
    /** The ids a one-node run's document gives the nodes around the node it runs. */
    public static final String ONE_START = "__start";
    public static final String ONE_INPUTS = "__inputs";
    public static final String ONE_END = "__end";

    private final FlowValidator validator;

    public DraftDocuments(FlowValidator validator) {
        this.validator = validator;
    }

    /** The whole draft, ready to run: 400 naming each problem (the node's settings, a pin) when it could not run. */
    public ObjectNode whole(JsonNode draft) {
        check(draft);
        ObjectNode document = draft.deepCopy();
        for (JsonNode node : document.path("nodes")) {
            ObjectNode n = (ObjectNode) node;
            JsonNode pin = n.remove(PINNED);
            if (pin != null && !pin.isNull()) standIn(n, pin);
        }
        return document;
    }

    /**
     * A document that runs only node {@code nodeId} of the draft, between a start and an end of its own: its input
     * fields are {@code inputs}' fields; a {@code {{other.field}}} reference in its settings reads
     * {@code inputs.other.field} (the other nodes do not run). Its pin, if any, is ignored: it really runs. The task's
     * result holds its output by port: {@code {"success": {...}}}.
     */
    public ObjectNode oneNode(JsonNode draft, String nodeId, ObjectNode inputs) {
        ObjectNode target = null;
        for (JsonNode node : draft.path("nodes")) {
            if (nodeId.equals(node.path("id").asText(null))) target = ((ObjectNode) node).deepCopy();
        }
        if (target == null) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "node", "no node has id '" + nodeId + "' in the draft");
        }
        String type = target.path("type").asText();
        if (type.equals("start") || type.equals("end")) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "node", "node '" + nodeId + "' is a " + type
                    + " node: run the whole draft instead");
        }
        check(draft);
        target.remove(PINNED);
        ObjectNode document = Json.object().put("name", draft.path("name").asText("") + " (node " + nodeId + ")");
        ArrayNode nodes = document.putArray("nodes");
        ArrayNode edges = document.putArray("edges");
        nodes.addObject().put("id", ONE_START).put("type", "start").putObject("settings").putObject("inputs");
        ObjectNode given = nodes.addObject().put("id", ONE_INPUTS).put("type", PinnedNode.TYPE);
        given.putObject("settings").put("port", NodeType.SUCCESS).<ObjectNode>set("outputs", inputs.deepCopy())
                .putArray("ports").add(NodeType.SUCCESS);
        nodes.add(target);
        ObjectNode end = nodes.addObject().put("id", ONE_END).put("type", "end");
        ObjectNode outputs = end.putObject("settings").putObject("outputs");
        edge(edges, ONE_START, ONE_INPUTS).addObject().put("from_field", NodeType.SUCCESS).put("to_field", "@");
        ArrayNode fed = edge(edges, ONE_INPUTS, nodeId);
        inputs.fieldNames().forEachRemaining(field -> fed.addObject().put("from_field", field).put("to_field", field));
        if (fed.isEmpty()) fed.addObject().put("from_field", NodeType.SUCCESS).put("to_field", "@");
        ArrayNode out = edge(edges, nodeId, ONE_END);
        List<String> ports = new ArrayList<>(shape(target).ports());
        if ("continue".equals(target.path("on_error").asText())) ports.add(NodeType.ERROR);
        for (String port : ports) {
            outputs.putObject(port).put("type", "object");
            out.addObject().put("from_field", port).put("to_field", port);
        }
        return document;
    }

    /** Checks the draft as publishing does, and its pins; throws 400 listing every problem. */
    private void check(JsonNode draft) {
        validator.check(draft);
        Problems problems = new Problems();
        ScadePlaceholderNode.problems(draft, "running", problems);
        JsonNode nodes = draft.path("nodes");
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode pin = nodes.get(i).get(PINNED);
            if (pin != null && !pin.isNull()) checkPin((ObjectNode) nodes.get(i), pin, problems.at("nodes[" + i + "]." + PINNED));
        }
        InvalidFlowException.throwIfAny(problems, "the draft cannot run");
    }

    private void checkPin(ObjectNode node, JsonNode pin, Problems at) {
        String id = node.path("id").asText();
        String type = node.path("type").asText();
        if (type.equals("start") || type.equals("end")) {
            at.add("", "node '" + id + "' is a " + type + " node, whose output cannot be pinned");
            return;
        }
        if (!pin.isObject() || !pin.path("outputs").isObject()) {
            at.add("outputs", "node '" + id + "': a pin is {\"outputs\": {...}, \"port\": \"success\"}");
            return;
        }
        JsonNode port = pin.get("port");
        if (port == null || port.isNull()) return;
        List<String> ports = new ArrayList<>(shape(node).ports());
        ports.add(NodeType.ERROR);
        if (!port.isTextual() || !ports.contains(port.asText())) {
            at.add("port", "node '" + id + "' has no port " + port + " (ports: " + String.join(", ", ports) + ")");
        }
    }

    /** Turns {@code node} into a pinned node emitting {@code pin}, with its shape so that its edges still fit. */
    private void standIn(ObjectNode node, JsonNode pin) {
        Shape shape = shape(node);
        ObjectNode settings = Json.object();
        settings.set("outputs", pin.get("outputs").deepCopy());
        settings.put("port", pin.path("port").asText(shape.ports().get(0)));
        ArrayNode ports = settings.putArray("ports");
        shape.ports().forEach(ports::add);
        shape.fields().ifPresent(fields -> fields.forEach(settings.putArray("fields")::add));
        settings.put("every_input_needed", shape.needsEveryInput());
        node.put("type", PinnedNode.TYPE);
        node.set("settings", settings);
        node.remove(List.of("retry", "timeout_ms", "overridable"));
    }

    private Shape shape(ObjectNode node) {
        RegisteredType type = validator.registry().get(node.path("type").asText());
        JsonNode settings = node.path("settings");
        return type.shape(settings.isObject() ? (ObjectNode) settings : Json.object());
    }

    private static ArrayNode edge(ArrayNode edges, String from, String to) {
        return edges.addObject().put("from_node", from).put("to_node", to).putArray("fields_mapping");
    }

    /**
     * {@code draft} without its nodes' pinned outputs: what publishing stores, since a published version never
     * uses a pin (the draft keeps them for the next test-run).
     */
    public static JsonNode withoutPins(JsonNode draft) {
        JsonNode nodes = draft.path("nodes");
        boolean any = false;
        for (JsonNode node : nodes) any |= node.has(PINNED);
        if (!any) return draft;
        ObjectNode copy = draft.deepCopy();
        for (JsonNode node : copy.path("nodes")) ((ObjectNode) node).remove(PINNED);
        return copy;
    }
}
