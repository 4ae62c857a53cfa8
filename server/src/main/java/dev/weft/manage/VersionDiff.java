package dev.weft.manage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The structured difference between two flow documents, {@code before} and {@code after}: nodes added, removed and
 * changed (by id; for a changed node, each setting and node field that differs by its path, and the edges into or
 * out of it added or removed), every edge added or removed, and the flow's own fields that differ. Canvas
 * positions and pinned outputs are not a change: moving a node or pinning its output changes nothing a published
 * version does (publishing leaves pins out).
 */
final class VersionDiff {

    private static final Set<String> IGNORED_NODE_FIELDS = Set.of("id", "position", "settings", "pinned");
    private static final Set<String> GRAPH_FIELDS = Set.of("nodes", "edges");

    private VersionDiff() {}

    static ObjectNode between(JsonNode before, JsonNode after) {
        Map<String, JsonNode> was = nodes(before);
        Map<String, JsonNode> now = nodes(after);
        List<JsonNode> edgesBefore = edges(before);
        List<JsonNode> edgesAfter = edges(after);
        List<JsonNode> edgesAdded = minus(edgesAfter, edgesBefore);
        List<JsonNode> edgesRemoved = minus(edgesBefore, edgesAfter);

        ObjectNode diff = Json.object();
        ArrayNode added = Json.MAPPER.createArrayNode();
        ArrayNode removed = Json.MAPPER.createArrayNode();
        ArrayNode changed = Json.MAPPER.createArrayNode();
        for (Map.Entry<String, JsonNode> node : now.entrySet()) {
            if (!was.containsKey(node.getKey())) added.add(brief(node.getValue()));
        }
        for (Map.Entry<String, JsonNode> node : was.entrySet()) {
            if (!now.containsKey(node.getKey())) removed.add(brief(node.getValue()));
        }
        for (Map.Entry<String, JsonNode> node : now.entrySet()) {
            JsonNode old = was.get(node.getKey());
            if (old == null) continue;
            ObjectNode change = nodeChange(node.getKey(), old, node.getValue(), edgesAdded, edgesRemoved);
            if (change != null) changed.add(change);
        }
        ObjectNode summary = diff.putObject("summary");
        summary.put("nodes_added", added.size());
        summary.put("nodes_removed", removed.size());
        summary.put("nodes_changed", changed.size());
        summary.put("edges_added", edgesAdded.size());
        summary.put("edges_removed", edgesRemoved.size());
        ObjectNode nodes = diff.putObject("nodes");
        nodes.set("added", added);
        nodes.set("removed", removed);
        nodes.set("changed", changed);
        ObjectNode edges = diff.putObject("edges");
        edges.set("added", edgeList(edgesAdded));
        edges.set("removed", edgeList(edgesRemoved));
        ArrayNode flow = diff.putArray("flow");
        Set<String> keys = new LinkedHashSet<>();
        before.fieldNames().forEachRemaining(keys::add);
        after.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            if (!GRAPH_FIELDS.contains(key)) changes(key, before.get(key), after.get(key), flow);
        }
        diff.put("identical", changed.isEmpty() && added.isEmpty() && removed.isEmpty() && edgesAdded.isEmpty()
                && edgesRemoved.isEmpty() && flow.isEmpty());
        return diff;
    }

    private static ObjectNode nodeChange(String id, JsonNode before, JsonNode after, List<JsonNode> edgesAdded,
                                         List<JsonNode> edgesRemoved) {
        ArrayNode settings = Json.MAPPER.createArrayNode();
        changes("", before.get("settings"), after.get("settings"), settings);
        ArrayNode fields = Json.MAPPER.createArrayNode();
        Set<String> keys = new LinkedHashSet<>();
        before.fieldNames().forEachRemaining(keys::add);
        after.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            if (!IGNORED_NODE_FIELDS.contains(key)) changes(key, before.get(key), after.get(key), fields);
        }
        ArrayNode in = edgeList(touching(id, edgesAdded));
        ArrayNode out = edgeList(touching(id, edgesRemoved));
        if (settings.isEmpty() && fields.isEmpty() && in.isEmpty() && out.isEmpty()) return null;
        ObjectNode change = brief(after);
        change.set("settings", settings);
        change.set("fields", fields);
        change.set("edges_added", in);
        change.set("edges_removed", out);
        return change;
    }

    /**
     * Appends each difference under {@code path}: objects are compared key by key (a path such as
     * {@code auth.credential}); anything else, arrays included, is compared whole.
     */
    private static void changes(String path, JsonNode before, JsonNode after, ArrayNode out) {
        boolean absentBefore = before == null || before.isMissingNode();
        boolean absentAfter = after == null || after.isMissingNode();
        if (absentBefore && absentAfter) return;
        if (!absentBefore && !absentAfter && before.equals(after)) return;
        if (!absentBefore && !absentAfter && before.isObject() && after.isObject()) {
            Set<String> keys = new LinkedHashSet<>();
            before.fieldNames().forEachRemaining(keys::add);
            after.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) changes(path.isEmpty() ? key : path + "." + key, before.get(key), after.get(key), out);
            return;
        }
        ObjectNode change = out.addObject();
        change.put("path", path);
        change.put("change", absentBefore ? "added" : absentAfter ? "removed" : "changed");
        if (!absentBefore) change.set("before", before);
        if (!absentAfter) change.set("after", after);
    }

    private static ObjectNode brief(JsonNode node) {
        ObjectNode json = Json.object();
        json.put("id", node.path("id").asText());
        json.put("type", node.path("type").asText());
        return json;
    }

    private static Map<String, JsonNode> nodes(JsonNode document) {
        Map<String, JsonNode> nodes = new LinkedHashMap<>();
        for (JsonNode node : document.path("nodes")) nodes.put(node.path("id").asText(), node);
        return nodes;
    }

    private static List<JsonNode> edges(JsonNode document) {
        List<JsonNode> edges = new ArrayList<>();
        document.path("edges").forEach(edges::add);
        return edges;
    }

    /** The edges of {@code these} that {@code those} lacks (compared as JSON values: an edge has no id). */
    private static List<JsonNode> minus(List<JsonNode> these, List<JsonNode> those) {
        List<JsonNode> rest = new ArrayList<>(those);
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode edge : these) {
            if (!rest.remove(edge)) out.add(edge);
        }
        return out;
    }

    private static List<JsonNode> touching(String id, List<JsonNode> edges) {
        return edges.stream().filter(e -> id.equals(e.path("from_node").asText()) || id.equals(e.path("to_node").asText()))
                .toList();
    }

    /** Each edge, with {@code text} saying it in one line: {@code start -> greet (name -> name)}. */
    private static ArrayNode edgeList(List<JsonNode> edges) {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (JsonNode edge : edges) {
            ObjectNode json = edge.deepCopy();
            json.put("text", text(edge));
            list.add(json);
        }
        return list;
    }

    private static String text(JsonNode edge) {
        StringBuilder text = new StringBuilder(edge.path("from_node").asText()).append(" -> ")
                .append(edge.path("to_node").asText());
        List<String> mappings = new ArrayList<>();
        for (Iterator<JsonNode> it = edge.path("fields_mapping").elements(); it.hasNext(); ) {
            JsonNode m = it.next();
            mappings.add(m.path("from_field").asText() + " -> " + m.path("to_field").asText());
        }
        if (!mappings.isEmpty()) text.append(" (").append(String.join(", ", mappings)).append(')');
        return text.toString();
    }
}
