package dev.weft.flow;

import dev.weft.node.Problems;
import dev.weft.registry.RegisteredType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.registry.NodeRegistry;
import dev.weft.template.Template;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
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

    /** The node types this validator checks against: what the Scade import asks before mapping to one. */
    public NodeRegistry registry() {
        return registry;
    }

    /**
     * Parses and checks {@code document}, reporting every problem in one pass; returns the flow or throws
     * {@link InvalidFlowException}. Nodes and edges that could not be parsed are reported once, by the parser.
     */
    public Flow check(JsonNode document) {
        return check(document, false);
    }

    /**
     * As {@link #check}, for a draft being drawn in the builder: a node nothing feeds yet (just added, pasted or
     * duplicated) is allowed; publishing checks the whole rule set again and still refuses it.
     */
    public Flow checkDraft(JsonNode document) {
        return check(document, true);
    }

    private Flow check(JsonNode document, boolean draft) {
        Problems problems = new Problems();
        // the size limits first: the checks below cost time in proportion to the nodes and edges
        FlowDocument.checkSize(document, problems);
        InvalidFlowException.throwIfAny(problems, "the flow document is too large");
        Flow flow = FlowDocument.parse(document, problems);
        McpToolSetting.read(document, problems);
        boolean whole = document.path("nodes").size() == flow.nodes().size()
                && document.path("edges").size() == flow.edges().size();
        validate(flow, problems, whole ? Set.of() : unparsedNodeIds(document, flow), whole, draft);
        InvalidFlowException.throwIfAny(problems, "the flow document is invalid");
        return flow;
    }

    /** Adds every graph and settings problem of an already parsed flow. */
    public void validate(Flow flow, Problems problems) {
        validate(flow, problems, Set.of(), true, false);
    }

    /**
     * {@code unparsed}: ids of nodes the parser left out, which edges may still name; {@code whole}: whether the
     * parser kept every node and edge, which the checks of the graph as a whole need; {@code draft}: whether a node
     * without an incoming edge is allowed (a draft being drawn).
     */
    private void validate(Flow flow, Problems problems, Set<String> unparsed, boolean whole, boolean draft) {
        boolean sound = whole;   // graph checks need unique ids and edges between known nodes
        Map<String, Integer> index = new HashMap<>();
        List<FlowNode> nodes = flow.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            FlowNode node = nodes.get(i);
            Problems at = problems.at("nodes[" + i + "]");
            if (index.putIfAbsent(node.id(), i) != null) {
                at.add("id", "duplicate node id '" + node.id() + "' (also nodes[" + index.get(node.id()) + "])");
                sound = false;
            }
            Optional<RegisteredType> type = registry.find(node.type());
            if (type.isEmpty()) {
                at.add("type", "unknown node type '" + node.type() + "' (known: "
                        + String.join(", ", registry.all().stream().map(RegisteredType::id).toList()) + ")");
            } else {
                type.get().validate(node.settings(), at.at("settings"));
                checkOverridable(node, type.get(), at);
            }
        }
        if (whole && flow.nodesOfType(FlowNode.START).isEmpty()) problems.add("nodes", "the flow has no start node");
        if (whole && flow.nodesOfType(FlowNode.END).isEmpty()) problems.add("nodes", "the flow has no end node");
        checkDefault(flow, flow.defaultStart(), FlowNode.START, "default_start_node_id", unparsed, problems);
        checkDefault(flow, flow.defaultEnd(), FlowNode.END, "default_end_node_id", unparsed, problems);

        Map<String, FlowNode> byId = flow.nodesById();
        List<Edge> edges = flow.edges();
        for (int i = 0; i < edges.size(); i++) {
            sound &= checkEdge(edges.get(i), byId, unparsed, problems.at("edges[" + i + "]"));
        }
        if (sound) checkGraph(flow, byId, problems, draft);
    }

    private void checkGraph(Flow flow, Map<String, FlowNode> byId, Problems problems, boolean draft) {
        FlowGraph links = FlowGraph.of(flow);
        List<String> cycle = links.findCycle();
        if (!cycle.isEmpty()) problems.add("edges", "the edges form a cycle: " + String.join(" -> ", cycle));
        java.util.BitSet fromStarts = new java.util.BitSet(links.size());
        for (FlowNode start : flow.nodesOfType(FlowNode.START)) fromStarts.or(links.reachableFrom(start.id()));
        Map<String, List<Edge>> incoming = FlowGraph.incoming(flow);
        List<FlowNode> nodes = flow.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            FlowNode node = nodes.get(i);
            if (node.isEnd() && !fromStarts.get(links.position(node.id()))) {
                problems.add("nodes[" + i + "]", "end node '" + node.id() + "' is not reachable from any start node");
            } else if (!draft && !node.isStart() && !node.isEnd() && !incoming.containsKey(node.id())) {
                problems.add("nodes[" + i + "]", "node '" + node.id() + "' has no incoming edge, so it never runs:"
                        + " connect an earlier node's output to one of its inputs");
            }
        }
        Upstream upstream = new Upstream(links, incoming);
        for (int i = 0; i < nodes.size(); i++) {
            FlowNode node = nodes.get(i);
            if (node.isStart() || node.isEnd()) continue;
            java.util.Set<String> raw = registry.find(node.type()).map(RegisteredType::rawSettings).orElse(java.util.Set.of());
            for (Map.Entry<String, JsonNode> field : FlowDocument.fields(node.settings())) {
                if (raw.contains(field.getKey())) continue;
                checkTemplates(node, field.getValue(), byId, upstream,
                        problems.at("nodes[" + i + "].settings." + field.getKey()));
            }
        }
    }

    /**
     * What the template checks ask of the graph: a node's mapped input fields, and whether one node is upstream of
     * another. Descendants are walked once per referenced node and kept as bits, so a long chain whose every node
     * refers to the start costs one walk, not one per node.
     */
    private static final class Upstream {
        private final FlowGraph links;
        private final Map<String, List<Edge>> incoming;
        private final Map<String, java.util.BitSet> descendants = new HashMap<>();

        Upstream(FlowGraph links, Map<String, List<Edge>> incoming) {
            this.links = links;
            this.incoming = incoming;
        }

        boolean isUpstream(String ancestor, String node) {
            if (ancestor.equals(node)) return false;
            return descendants.computeIfAbsent(ancestor, links::reachableFrom).get(links.position(node));
        }

        Set<String> inputFields(String node) {
            Set<String> fields = new HashSet<>();
            for (Edge edge : incoming.getOrDefault(node, List.of())) {
                for (FieldMapping m : edge.mappings()) fields.add(m.toField().split("\\.")[0]);
            }
            return fields;
        }
    }

    /** Ids of the document's nodes that the parser left out (their own problems are already reported). */
    private static Set<String> unparsedNodeIds(JsonNode document, Flow flow) {
        Set<String> ids = new HashSet<>();
        Map<String, FlowNode> parsed = flow.nodesById();
        for (JsonNode node : document.path("nodes")) {
            String id = node.path("id").asText("");
            if (node.path("id").isTextual() && !parsed.containsKey(id)) ids.add(id);
        }
        return ids;
    }

    /** A start node's inputs are always open to a run; an opened setting must be one the node type has. */
    private static void checkOverridable(FlowNode node, RegisteredType type, Problems at) {
        if (node.overridable().equals(Overridable.DEFAULT)) return;
        if (node.isStart()) {
            at.add("overridable", "a start node's inputs are always overridable by a run: remove this field");
            return;
        }
        if (!(node.overridable() instanceof Overridable.Only only)) return;
        JsonNode known = type.catalogue().settingsSchema().path("properties");
        if (!known.isObject()) return;   // a type without a settings schema accepts any name
        for (String setting : only.settings()) {
            if (!known.has(setting)) {
                at.add("overridable", "'" + setting + "' is not a setting of a " + node.type() + " node (settings: "
                        + String.join(", ", (Iterable<String>) known::fieldNames) + ")");
            }
        }
    }

    private static void checkDefault(Flow flow, String id, String type, String field, Set<String> unparsed,
                                     Problems problems) {
        if (id == null || unparsed.contains(id)) return;
        Optional<FlowNode> node = flow.node(id);
        if (node.isEmpty()) problems.add(field, "no node has id '" + id + "'");
        else if (!node.get().type().equals(type)) problems.add(field, "node '" + id + "' is not a " + type + " node");
    }

    /** Checks one edge; false when it does not connect two known nodes. */
    private boolean checkEdge(Edge edge, Map<String, FlowNode> byId, Set<String> unparsed, Problems problems) {
        FlowNode from = byId.get(edge.fromNode());
        FlowNode to = byId.get(edge.toNode());
        if (from == null && !unparsed.contains(edge.fromNode())) {
            problems.add("from_node", "no node has id '" + edge.fromNode() + "'");
        }
        if (to == null && !unparsed.contains(edge.toNode())) {
            problems.add("to_node", "no node has id '" + edge.toNode() + "'");
        }
        if (from == null || to == null) return false;
        if (from.id().equals(to.id())) problems.add("to_node", "an edge cannot connect node '" + from.id() + "' to itself");
        if (to.isStart()) problems.add("to_node", "a start node takes no incoming edges");
        Optional<RegisteredType> fromType = registry.find(from.type());
        if (fromType.isEmpty()) return true;
        List<String> ports = fromType.get().ports(from.settings());
        if (ports.isEmpty()) {
            problems.add("from_node", "node '" + from.id() + "' (" + from.type() + ") has no output ports");
            return true;
        }
        List<String> endFields = to.isEnd() ? EndNode.outputNames(to.settings()) : List.of();
        for (int i = 0; i < edge.mappings().size(); i++) {
            FieldMapping mapping = edge.mappings().get(i);
            Problems at = problems.at("fields_mapping[" + i + "]");
            PortRef ref = PortRef.of(mapping.fromField(), ports);
            if (ref.isErrorPort() && from.policy().onError() != OnError.CONTINUE) {
                at.add("from_field", "node '" + from.id() + "' emits on its error port only when its on_error is"
                        + " \"continue\"");
            }
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
        return true;
    }

    /** Checks the templates in one setting's value; nested objects and arrays are walked with a stack. */
    private void checkTemplates(FlowNode node, JsonNode root, Map<String, FlowNode> byId, Upstream upstream,
                                Problems rootProblems) {
        record Pending(JsonNode value, Problems problems) {}
        Deque<Pending> todo = new ArrayDeque<>(List.of(new Pending(root, rootProblems)));
        Set<String> inputFields = null;
        while (!todo.isEmpty()) {
            Pending next = todo.pop();
            JsonNode value = next.value();
            Problems problems = next.problems();
            if (value.isTextual() && Template.hasPlaceholders(value.asText())) {
                Template template;
                try {
                    template = Template.parse(value.asText());
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                    continue;
                }
                if (inputFields == null) inputFields = upstream.inputFields(node.id());
                for (String reference : template.references()) {
                    String head = Template.segments(reference)[0];
                    if (byId.containsKey(head)) {
                        if (!upstream.isUpstream(head, node.id())) {
                            problems.add("{{" + reference + "}} refers to node '" + head + "', which is not upstream of '"
                                    + node.id() + "' (connect it with an edge)");
                        }
                    } else if (!inputFields.contains(head)) {
                        problems.add("{{" + reference + "}} refers to '" + head + "', which is neither a node id nor an"
                                + " input field mapped into '" + node.id() + "'");
                    }
                }
            } else if (value.isObject() || value.isArray()) {
                // pushed in reverse, so problems are reported in document order
                List<Pending> children = new ArrayList<>();
                if (value.isObject()) {
                    for (Map.Entry<String, JsonNode> field : FlowDocument.fields(value)) {
                        children.add(new Pending(field.getValue(), problems.at(field.getKey())));
                    }
                } else {
                    for (int i = 0; i < value.size(); i++) children.add(new Pending(value.get(i), problems.at("[" + i + "]")));
                }
                for (int i = children.size() - 1; i >= 0; i--) todo.push(children.get(i));
            }
        }
    }
}
