package dev.weft.engine.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.Graph;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowValidator;
import dev.weft.json.Json;
import dev.weft.registry.NodeRegistry;

/**
 * Writes flow documents concisely in tests:
 * <pre>{@code
 * Flows.flow().start("start", "n:integer").node("a", "inc").end("end", "n")
 *     .edge("start", "a", "n").edge("a", "end", "n -> n")
 *     .compile(registry);
 * }</pre>
 * A mapping is {@code "from_field -> to_field"}, or one name for both; policy methods apply to the last node.
 */
public final class Flows {

    private final ObjectNode document = Json.object();
    private final ArrayNode nodes = document.putArray("nodes");
    private final ArrayNode edges = document.putArray("edges");
    private ObjectNode last;

    private Flows() {
        document.put("name", "test flow");
    }

    public static Flows flow() {
        return new Flows();
    }

    /**
     * start(n: integer, saved 0) -> {@code type}1 -> ... -> {@code type}{@code length} -> end(n), each edge carrying
     * {@code n}.
     */
    public static Flows chain(String type, int length) {
        Flows flow = flow().start("start", "n:integer").data("{\"n\": 0}").end("end", "n");
        String previous = "start";
        for (int i = 1; i <= length; i++) {
            flow.node(type + i, type).edge(previous, type + i, "n");
            previous = type + i;
        }
        return flow.edge(previous, "end", "n");
    }

    /** A start node; each input is {@code name:type} ({@code n:integer}), or just a name (a string). */
    public Flows start(String id, String... inputs) {
        ObjectNode fields = Json.object();
        for (String input : inputs) {
            String[] parts = input.split(":", 2);
            fields.putObject(parts[0].trim()).put("type", parts.length > 1 ? parts[1].trim() : "string");
        }
        node(id, "start").settings().set("inputs", fields);
        return this;
    }

    /** An end node with the given output fields. */
    public Flows end(String id, String... outputs) {
        ObjectNode fields = Json.object();
        for (String output : outputs) fields.putObject(output).put("type", "object");
        node(id, "end").settings().set("outputs", fields);
        return this;
    }

    public Flows node(String id, String type) {
        last = nodes.addObject().put("id", id).put("type", type);
        last.putObject("settings");
        return this;
    }

    /** A node with settings given as JSON text. */
    public Flows node(String id, String type, String settingsJson) {
        node(id, type);
        last.set("settings", Json.read(settingsJson));
        return this;
    }

    /** Saved input values of the last (start) node, as JSON text. */
    public Flows data(String json) {
        settings().set("data", Json.read(json));
        return this;
    }

    public Flows timeoutMs(long millis) {
        last.put("timeout_ms", millis);
        return this;
    }

    public Flows retry(int maxAttempts, long backoffMs, double factor) {
        last.putObject("retry").put("max_attempts", maxAttempts).put("backoff_ms", backoffMs).put("factor", factor);
        return this;
    }

    public Flows onErrorContinue() {
        last.put("on_error", "continue");
        return this;
    }

    /** An edge carrying the given mappings ({@code "n"}, {@code "true.n -> x"}, {@code "success -> @"}). */
    public Flows edge(String from, String to, String... mappings) {
        ObjectNode edge = edges.addObject().put("from_node", from).put("to_node", to);
        ArrayNode list = edge.putArray("fields_mapping");
        for (String mapping : mappings) {
            String[] parts = mapping.split("->", 2);
            String fromField = parts[0].trim();
            list.addObject().put("from_field", fromField).put("to_field", parts.length > 1 ? parts[1].trim() : fromField);
        }
        return this;
    }

    /** A copy of the document written so far. */
    public ObjectNode document() {
        return document.deepCopy();
    }

    /** The document, validated: throws {@link dev.weft.flow.InvalidFlowException} listing its problems. */
    public Flow validate(NodeRegistry registry) {
        return new FlowValidator(registry).check(document());
    }

    /** The validated flow compiled from its first start node to its first end node. */
    public Graph compile(NodeRegistry registry) {
        Flow flow = validate(registry);
        return Graph.compile(flow, registry, flow.nodesOfType("start").get(0).id(),
                flow.nodesOfType("end").get(0).id(), null);
    }

    private ObjectNode settings() {
        return (ObjectNode) last.get("settings");
    }
}
