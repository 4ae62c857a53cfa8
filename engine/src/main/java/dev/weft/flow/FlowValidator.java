package dev.weft.flow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.node.NodeRegistry;
import dev.weft.node.NodeType;
import dev.weft.template.Template;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a flow document against the graph rules and the node types' settings, collecting every problem with its
 * path: duplicate ids, unknown types, dangling edges, unknown ports and fields, cycles, missing start or end,
 * an end no start reaches, bad template references, bad settings. Run on save and on publish.
 */
public final class FlowValidator {

    private final NodeRegistry registry;

    public FlowValidator(NodeRegistry registry) {
        this.registry = registry;
    }

    /** Parses and checks {@code document}; returns the flow or throws {@link InvalidFlowException}. */
    public Flow check(JsonNode document) {
        Problems problems = new Problems();
        Flow flow = FlowDocument.parse(document, problems);
        if (problems.isEmpty()) validate(flow, problems);
        problems.throwIfAny("the flow document is invalid");
        return flow;
    }

    /** Adds every graph and settings problem of an already parsed flow. */
    public void validate(Flow flow, Problems problems) {
        Map<String, Integer> index = new HashMap<>();
        List<FlowNode> nodes = flow.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            FlowNode node = nodes.get(i);
            Problems at = problems.at("nodes[" + i + "]");
            if (index.putIfAbsent(node.id(), i) != null) {
                at.add("id", "duplicate node id '" + node.id() + "' (also nodes[" + index.get(node.id()) + "])");
            }
            Optional<NodeType> type = registry.find(node.type());
            if (type.isEmpty()) {
                at.add("type", "unknown node type '" + node.type() + "' (known: "
                        + String.join(", ", registry.all().stream().map(NodeType::type).toList()) + ")");
            } else {
                type.get().validate(node.settings(), at.at("settings"));
            }
        }
        if (flow.nodesOfType(FlowNode.START).isEmpty()) problems.add("nodes", "the flow has no start node");
        if (flow.nodesOfType(FlowNode.END).isEmpty()) problems.add("nodes", "the flow has no end node");
        checkDefault(flow, flow.defaultStart(), FlowNode.START, "default_start_node_id", problems);
        checkDefault(flow, flow.defaultEnd(), FlowNode.END, "default_end_node_id", problems);

        Map<String, FlowNode> byId = flow.nodesById();
        List<Edge> edges = flow.edges();
        for (int i = 0; i < edges.size(); i++) {
            checkEdge(edges.get(i), byId, problems.at("edges[" + i + "]"));
        }
        if (!problems.isEmpty()) return;   // graph checks need sound nodes and edges

        Map<String, List<String>> successors = successors(flow);
        List<String> cycle = findCycle(flow, successors);
        if (!cycle.isEmpty()) {
            problems.add("edges", "the edges form a cycle: " + String.join(" -> ", cycle));
            return;
        }
        Set<String> fromStarts = new HashSet<>();
        for (FlowNode start : flow.nodesOfType(FlowNode.START)) fromStarts.addAll(reachable(start.id(), successors));
        for (int i = 0; i < nodes.size(); i++) {
            FlowNode node = nodes.get(i);
            if (node.isEnd() && !fromStarts.contains(node.id())) {
                problems.add("nodes[" + i + "]", "end node '" + node.id() + "' is not reachable from any start node");
            } else if (!node.isStart() && !node.isEnd() && incoming(flow, node.id()).isEmpty()) {
                problems.add("nodes[" + i + "]", "node '" + node.id() + "' has no incoming edge, so it never runs;"
                        + " connect it (an edge from the start node with to_field \"@\" runs it first)");
            }
        }
        Map<String, Set<String>> ancestors = ancestors(flow);
        for (int i = 0; i < nodes.size(); i++) {
            FlowNode node = nodes.get(i);
            if (node.isStart() || node.isEnd()) continue;
            checkTemplates(node, node.settings(), flow, byId, ancestors.get(node.id()),
                    problems.at("nodes[" + i + "].settings"));
        }
    }

    private static void checkDefault(Flow flow, String id, String type, String field, Problems problems) {
        if (id == null) return;
        Optional<FlowNode> node = flow.node(id);
        if (node.isEmpty()) problems.add(field, "no node has id '" + id + "'");
        else if (!node.get().type().equals(type)) problems.add(field, "node '" + id + "' is not a " + type + " node");
    }

    private void checkEdge(Edge edge, Map<String, FlowNode> byId, Problems problems) {
        FlowNode from = byId.get(edge.fromNode());
        FlowNode to = byId.get(edge.toNode());
        if (from == null) problems.add("from_node", "no node has id '" + edge.fromNode() + "'");
        if (to == null) problems.add("to_node", "no node has id '" + edge.toNode() + "'");
        if (from == null || to == null) return;
        if (from.id().equals(to.id())) problems.add("to_node", "an edge cannot connect node '" + from.id() + "' to itself");
        if (to.isStart()) problems.add("to_node", "a start node takes no incoming edges");
        Optional<NodeType> fromType = registry.find(from.type());
        if (fromType.isEmpty()) return;
        List<String> ports = fromType.get().ports();
        if (ports.isEmpty()) {
            problems.add("from_node", "node '" + from.id() + "' (" + from.type() + ") has no output ports");
            return;
        }
        List<String> endFields = to.isEnd() ? dev.weft.node.EndNode.outputNames(to.settings()) : List.of();
        for (int i = 0; i < edge.mappings().size(); i++) {
            FieldMapping mapping = edge.mappings().get(i);
            Problems at = problems.at("fields_mapping[" + i + "]");
            PortRef ref = PortRef.of(mapping.fromField(), ports);
            if (ref.field() != null && !ref.explicitPort()) {
                Optional<List<String>> fields = fromType.get().outputFields(from.settings());
                String first = ref.field().split("\\.")[0];
                if (fields.isPresent() && !fields.get().contains(first)) {
                    at.add("from_field", "node '" + from.id() + "' has no output field or port '" + first
                            + "' (fields: " + String.join(", ", fields.get()) + "; ports: " + String.join(", ", ports) + ")");
                }
            }
            if (to.isEnd() && !mapping.runAfterOnly() && !endFields.contains(mapping.toField())) {
                at.add("to_field", "end node '" + to.id() + "' has no output field '" + mapping.toField()
                        + "' (fields: " + String.join(", ", endFields) + ")");
            }
        }
    }

    private void checkTemplates(FlowNode node, JsonNode value, Flow flow, Map<String, FlowNode> byId,
                                Set<String> ancestors, Problems problems) {
        if (value.isTextual() && Template.hasPlaceholders(value.asText())) {
            Template template;
            try {
                template = Template.parse(value.asText());
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
                return;
            }
            Set<String> inputFields = new HashSet<>();
            for (Edge edge : incoming(flow, node.id())) {
                for (FieldMapping m : edge.mappings()) inputFields.add(m.toField().split("\\.")[0]);
            }
            for (String reference : template.references()) {
                String head = Template.segments(reference)[0];
                if (byId.containsKey(head)) {
                    if (!ancestors.contains(head)) {
                        problems.add("{{" + reference + "}} refers to node '" + head + "', which is not upstream of '"
                                + node.id() + "' (connect it with an edge)");
                    }
                } else if (!inputFields.contains(head)) {
                    problems.add("{{" + reference + "}} refers to '" + head + "', which is neither a node id nor an"
                            + " input field mapped into '" + node.id() + "'");
                }
            }
        } else if (value.isObject()) {
            for (Map.Entry<String, JsonNode> field : FlowDocument.fields(value)) {
                checkTemplates(node, field.getValue(), flow, byId, ancestors, problems.at(field.getKey()));
            }
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                checkTemplates(node, value.get(i), flow, byId, ancestors, problems.at("[" + i + "]"));
            }
        }
    }

    static List<Edge> incoming(Flow flow, String nodeId) {
        return flow.edges().stream().filter(e -> e.toNode().equals(nodeId)).toList();
    }

    static Map<String, List<String>> successors(Flow flow) {
        Map<String, List<String>> next = new LinkedHashMap<>();
        for (FlowNode node : flow.nodes()) next.put(node.id(), new ArrayList<>());
        for (Edge edge : flow.edges()) {
            List<String> list = next.get(edge.fromNode());
            if (list != null && !list.contains(edge.toNode())) list.add(edge.toNode());
        }
        return next;
    }

    static Set<String> reachable(String from, Map<String, List<String>> successors) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(from));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (seen.add(id)) todo.addAll(successors.getOrDefault(id, List.of()));
        }
        return seen;
    }

    /** For each node, every node from which an edge path leads to it. */
    static Map<String, Set<String>> ancestors(Flow flow) {
        Map<String, List<String>> predecessors = new HashMap<>();
        for (FlowNode node : flow.nodes()) predecessors.put(node.id(), new ArrayList<>());
        for (Edge edge : flow.edges()) predecessors.get(edge.toNode()).add(edge.fromNode());
        Map<String, Set<String>> result = new HashMap<>();
        for (FlowNode node : flow.nodes()) {
            Set<String> all = reachable(node.id(), predecessors);
            all.remove(node.id());
            result.put(node.id(), all);
        }
        return result;
    }

    /** A cycle as a list of node ids (first repeated at the end), or an empty list. */
    static List<String> findCycle(Flow flow, Map<String, List<String>> successors) {
        Map<String, Integer> color = new HashMap<>();   // 1 = on the current path, 2 = done
        for (FlowNode node : flow.nodes()) {
            Deque<String> path = new ArrayDeque<>();
            List<String> cycle = visit(node.id(), successors, color, path);
            if (!cycle.isEmpty()) return cycle;
        }
        return List.of();
    }

    private static List<String> visit(String id, Map<String, List<String>> successors, Map<String, Integer> color,
                                      Deque<String> path) {
        Integer c = color.get(id);
        if (c != null && c == 2) return List.of();
        if (c != null && c == 1) {
            List<String> cycle = new ArrayList<>();
            boolean in = false;
            for (String p : (Iterable<String>) path::descendingIterator) {
                if (p.equals(id)) in = true;
                if (in) cycle.add(p);
            }
            cycle.add(id);
            return cycle;
        }
        color.put(id, 1);
        path.push(id);
        for (String next : successors.getOrDefault(id, List.of())) {
            List<String> cycle = visit(next, successors, color, path);
            if (!cycle.isEmpty()) return cycle;
        }
        path.pop();
        color.put(id, 2);
        return List.of();
    }
}
