package dev.weft.flow;

import dev.weft.node.Problems;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a flow document (JSON) into a {@link Flow}, collecting every shape problem with its path.
 *
 * <p>The document: {@code {name, nodes: [{id, type, name, settings, timeout_ms, retry: {max_attempts, backoff_ms,
 * factor}, on_error, overridable, position}], edges: [{from_node, to_node, fields_mapping: [{from_field, to_field}]}],
 * default_start_node_id, default_end_node_id, notes: [{id, text, position, width, height}]}}. The builder's sticky
 * {@code notes} are kept with the document and never run; only their shape is checked. Graph rules (types, cycles, references) are the
 * {@link FlowValidator}'s.
 */
public final class FlowDocument {

    public static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,63}");
    public static final int MAX_ATTEMPTS_LIMIT = 20;
    /** Nodes a flow may have: far more than a person draws, and each check stays well under a second. */
    public static final int MAX_NODES = 10_000;
    /** Edges a flow may have: a chain at {@link #MAX_NODES} needs one per node, a join a few more. */
    public static final int MAX_EDGES = 30_000;
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private FlowDocument() {}

    /** A node id in Scade's style: 4 random letters or digits, a dash, the type ({@code x7Qa-template}). */
    public static String newNodeId(String type) {
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 4; i++) id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        return id.append('-').append(type.replaceAll("[^A-Za-z0-9_-]", "-")).toString();
    }

    /** A copy of the document in which every node without an id got a generated one. */
    public static JsonNode withNodeIds(JsonNode document) {
        if (!document.isObject() || !document.path("nodes").isArray()) return document;
        ObjectNode copy = ((ObjectNode) document).deepCopy();
        for (JsonNode node : copy.withArray("nodes")) {
            if (node.isObject() && (node.path("id").isMissingNode() || node.path("id").isNull())
                    && node.path("type").isTextual()) {
                ((ObjectNode) node).put("id", newNodeId(node.path("type").asText()));
            }
        }
        return copy;
    }

    /** Adds a problem naming {@code nodes} or {@code edges} when the document has more than the limit allows. */
    public static void checkSize(JsonNode document, Problems problems) {
        int nodes = document.path("nodes").isArray() ? document.path("nodes").size() : 0;
        int edges = document.path("edges").isArray() ? document.path("edges").size() : 0;
        if (nodes > MAX_NODES) {
            problems.add("nodes", "a flow may have at most " + MAX_NODES + " nodes (this one has " + nodes + ")");
        }
        if (edges > MAX_EDGES) {
            problems.add("edges", "a flow may have at most " + MAX_EDGES + " edges (this one has " + edges + ")");
        }
    }

    /** Parses the document; shape problems go to {@code problems} and the affected parts are left out. */
    public static Flow parse(JsonNode document, Problems problems) {
        if (!document.isObject()) {
            problems.add("", "a flow document must be a JSON object");
            return new Flow("", List.of(), List.of(), null, null);
        }
        String name = optionalText(document, "name", problems);
        List<FlowNode> nodes = new ArrayList<>();
        JsonNode nodesJson = document.path("nodes");
        if (!nodesJson.isArray()) {
            problems.add("nodes", "is required and must be an array of nodes");
        } else {
            for (int i = 0; i < nodesJson.size(); i++) {
                FlowNode node = parseNode(nodesJson.get(i), problems.at("nodes[" + i + "]"));
                if (node != null) nodes.add(node);
            }
        }
        List<Edge> edges = new ArrayList<>();
        JsonNode edgesJson = document.path("edges");
        if (!edgesJson.isMissingNode() && !edgesJson.isNull() && !edgesJson.isArray()) {
            problems.add("edges", "must be an array of edges");
        } else if (edgesJson.isArray()) {
            for (int i = 0; i < edgesJson.size(); i++) {
                Edge edge = parseEdge(edgesJson.get(i), problems.at("edges[" + i + "]"));
                if (edge != null) edges.add(edge);
            }
        }
        checkNotes(document.path("notes"), problems);
        return new Flow(name == null ? "" : name, nodes, edges,
                optionalText(document, "default_start_node_id", problems),
                optionalText(document, "default_end_node_id", problems));
    }

    private static FlowNode parseNode(JsonNode json, Problems problems) {
        if (!json.isObject()) {
            problems.add("", "a node must be a JSON object");
            return null;
        }
        String id = requiredText(json, "id", problems);
        if (id != null && !NODE_ID.matcher(id).matches()) {
            problems.add("id", "must be 1-64 letters, digits, '_' or '-' (got '" + id + "')");
        }
        String type = requiredText(json, "type", problems);
        JsonNode settings = json.path("settings");
        if (!settings.isMissingNode() && !settings.isNull() && !settings.isObject()) {
            problems.add("settings", "must be a JSON object");
        }
        NodePolicy policy = parsePolicy(json, problems);
        Overridable overridable = Overridable.parse(json.get("overridable"), problems);
        if (id == null || type == null) return null;
        ObjectNode settingsObject = settings.isObject() ? (ObjectNode) settings : JsonNodeFactory.instance.objectNode();
        return new FlowNode(id, type, optionalText(json, "name", problems), settingsObject, policy, overridable,
                json.get("position"));
    }

    /** The builder's sticky notes: an array of objects with a text; the engine ignores them otherwise. */
    private static void checkNotes(JsonNode notes, Problems problems) {
        if (notes.isMissingNode() || notes.isNull()) return;
        if (!notes.isArray()) {
            problems.add("notes", "must be an array of notes {id, text, position}");
            return;
        }
        for (int i = 0; i < notes.size(); i++) {
            JsonNode note = notes.get(i);
            Problems at = problems.at("notes[" + i + "]");
            if (!note.isObject()) {
                at.add("", "a note must be a JSON object {id, text, position}");
            } else if (!note.path("text").isTextual()) {
                at.add("text", "must be a string");
            }
        }
    }

    private static NodePolicy parsePolicy(JsonNode json, Problems problems) {
        Duration timeout = NodePolicy.TIMEOUT_DEFAULT;
        JsonNode timeoutJson = json.path("timeout_ms");
        if (!timeoutJson.isMissingNode() && !timeoutJson.isNull()) {
            if (!timeoutJson.canConvertToLong() || !timeoutJson.isIntegralNumber() || timeoutJson.asLong() < 1) {
                problems.add("timeout_ms", "must be a positive whole number of milliseconds");
            } else {
                timeout = Duration.ofMillis(timeoutJson.asLong());
            }
        }
        int maxAttempts = 1;
        Duration backoff = NodePolicy.BACKOFF_DEFAULT;
        double factor = NodePolicy.FACTOR_DEFAULT;
        JsonNode retry = json.path("retry");
        if (!retry.isMissingNode() && !retry.isNull()) {
            Problems at = problems.at("retry");
            if (!retry.isObject()) {
                at.add("", "must be an object {max_attempts, backoff_ms, factor}");
            } else {
                maxAttempts = (int) wholeNumber(retry, "max_attempts", 1, MAX_ATTEMPTS_LIMIT, 1, at);
                backoff = Duration.ofMillis(wholeNumber(retry, "backoff_ms", 0, NodePolicy.BACKOFF_MAX.toMillis(),
                        NodePolicy.BACKOFF_DEFAULT.toMillis(), at));
                JsonNode factorJson = retry.path("factor");
                if (!factorJson.isMissingNode()) {
                    if (!factorJson.isNumber() || factorJson.asDouble() < 1 || factorJson.asDouble() > 10) {
                        at.add("factor", "must be a number from 1 to 10");
                    } else {
                        factor = factorJson.asDouble();
                    }
                }
            }
        }
        OnError onError = OnError.FAIL;
        JsonNode onErrorJson = json.path("on_error");
        if (!onErrorJson.isMissingNode() && !onErrorJson.isNull()) {
            if ("continue".equals(onErrorJson.asText(null))) onError = OnError.CONTINUE;
            else if (!"fail".equals(onErrorJson.asText(null))) problems.add("on_error", "must be \"fail\" or \"continue\"");
        }
        return new NodePolicy(timeout, maxAttempts, backoff, factor, onError);
    }

    private static long wholeNumber(JsonNode json, String field, long min, long max, long fallback, Problems problems) {
        JsonNode value = json.path(field);
        if (value.isMissingNode() || value.isNull()) return fallback;
        if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
            problems.add(field, "must be a whole number from " + min + " to " + max);
            return fallback;
        }
        return value.asLong();
    }

    private static Edge parseEdge(JsonNode json, Problems problems) {
        if (!json.isObject()) {
            problems.add("", "an edge must be a JSON object");
            return null;
        }
        String from = requiredText(json, "from_node", problems);
        String to = requiredText(json, "to_node", problems);
        JsonNode mappingsJson = json.path("fields_mapping");
        List<FieldMapping> mappings = new ArrayList<>();
        if (!mappingsJson.isArray() || mappingsJson.isEmpty()) {
            problems.add("fields_mapping", "is required: a non-empty array of {from_field, to_field}");
        } else {
            for (int i = 0; i < mappingsJson.size(); i++) {
                JsonNode mapping = mappingsJson.get(i);
                Problems at = problems.at("fields_mapping[" + i + "]");
                String fromField = requiredText(mapping, "from_field", at);
                String toField = requiredText(mapping, "to_field", at);
                if (fromField != null && toField != null) mappings.add(new FieldMapping(fromField, toField));
            }
        }
        return from == null || to == null ? null : new Edge(from, to, mappings);
    }

    private static String requiredText(JsonNode json, String field, Problems problems) {
        JsonNode value = json.path(field);
        if (value.isMissingNode() || value.isNull()) {
            problems.add(field, "is required");
            return null;
        }
        if (!value.isTextual() || value.asText().isEmpty()) {
            problems.add(field, "must be a non-empty string");
            return null;
        }
        return value.asText();
    }

    private static String optionalText(JsonNode json, String field, Problems problems) {
        JsonNode value = json.path(field);
        if (value.isMissingNode() || value.isNull()) return null;
        if (!value.isTextual()) {
            problems.add(field, "must be a string");
            return null;
        }
        return value.asText();
    }

    /** Iterates an object's fields in document order. */
    static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode object) {
        return () -> {
            Iterator<Map.Entry<String, JsonNode>> it = object.fields();
            return it;
        };
    }
}
