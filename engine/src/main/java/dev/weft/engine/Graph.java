package dev.weft.engine;

import dev.weft.flow.Edge;
import dev.weft.registry.RegisteredType;
import dev.weft.flow.FieldMapping;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowNode;
import dev.weft.flow.InvalidFlowException;
import dev.weft.flow.PortRef;
import dev.weft.registry.NodeRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated flow compiled for one choice of start, end and result node: the nodes between start and end in
 * topological order, each with its resolved incoming mappings. Immutable and shared by all tasks that use it.
 */
public final class Graph {

    private final Flow flow;
    private final String start;
    private final String end;
    private final String result;
    private final List<String> order;
    private final Map<String, FlowNode> nodes;
    private final Map<String, RegisteredType> types;
    private final Map<String, List<Incoming>> incoming;
    private final Map<String, Set<String>> upstream;
    private final Set<String> flowNodeIds;
    private final boolean pure;

    private Graph(Flow flow, String start, String end, String result, List<String> order, Map<String, FlowNode> nodes,
                  Map<String, RegisteredType> types, Map<String, List<Incoming>> incoming, Map<String, Set<String>> upstream) {
        this.flow = flow;
        this.start = start;
        this.end = end;
        this.result = result;
        this.order = List.copyOf(order);
        this.nodes = Map.copyOf(nodes);
        this.types = Map.copyOf(types);
        this.incoming = Map.copyOf(incoming);
        this.upstream = Map.copyOf(upstream);
        this.flowNodeIds = Set.copyOf(flow.nodesById().keySet());
        this.pure = types.values().stream().allMatch(RegisteredType::pure);
    }

    /**
     * Compiles {@code flow} (already validated) to run from {@code startId} to {@code endId}, taking the result from
     * {@code resultId}. Throws {@link InvalidFlowException} naming the field when an id does not fit.
     */
    public static Graph compile(Flow flow, NodeRegistry registry, String startId, String endId, String resultId) {
        Map<String, FlowNode> byId = flow.nodesById();
        FlowNode start = byId.get(startId);
        if (start == null || !start.isStart()) {
            throw new InvalidFlowException("start_node_id", "no start node has id '" + startId + "'");
        }
        FlowNode end = byId.get(endId);
        if (end == null || !end.isEnd()) {
            throw new InvalidFlowException("end_node_id", "no end node has id '" + endId + "'");
        }
        Map<String, List<String>> next = new HashMap<>();
        Map<String, List<String>> previous = new HashMap<>();
        for (Edge edge : flow.edges()) {
            next.computeIfAbsent(edge.fromNode(), k -> new ArrayList<>()).add(edge.toNode());
            previous.computeIfAbsent(edge.toNode(), k -> new ArrayList<>()).add(edge.fromNode());
        }
        Set<String> between = reach(startId, next);
        between.retainAll(reach(endId, previous));
        if (!between.contains(endId)) {
            throw new InvalidFlowException("end_node_id", "end node '" + endId + "' cannot be reached from start node '"
                    + startId + "'");
        }
        String resultNode = resultId == null ? endId : resultId;
        if (!between.contains(resultNode)) {
            throw new InvalidFlowException("result_node_id", "node '" + resultNode + "' does not run between '"
                    + startId + "' and '" + endId + "'");
        }
        Map<String, FlowNode> nodes = new LinkedHashMap<>();
        Map<String, RegisteredType> types = new HashMap<>();
        for (FlowNode node : flow.nodes()) {
            if (between.contains(node.id())) {
                nodes.put(node.id(), node);
                types.put(node.id(), registry.get(node.type()));
            }
        }
        Map<String, List<Incoming>> incoming = new HashMap<>();
        Map<String, Set<String>> upstream = new HashMap<>();
        for (String id : nodes.keySet()) {
            incoming.put(id, new ArrayList<>());
            upstream.put(id, new LinkedHashSet<>());
        }
        for (Edge edge : flow.edges()) {
            if (!nodes.containsKey(edge.toNode())) continue;
            // An edge from a node that does not run (another start, a side branch) is never active.
            FlowNode from = byId.get(edge.fromNode());
            List<String> ports = registry.get(from.type()).ports(from.settings());
            for (FieldMapping mapping : edge.mappings()) {
                incoming.get(edge.toNode()).add(new Incoming(edge.fromNode(), PortRef.of(mapping.fromField(), ports),
                        mapping.toField()));
            }
            if (nodes.containsKey(edge.fromNode())) upstream.get(edge.toNode()).add(edge.fromNode());
        }
        return new Graph(flow, startId, endId, resultNode, topological(nodes.keySet(), upstream), nodes, types,
                incoming, upstream);
    }

    private static Set<String> reach(String from, Map<String, List<String>> links) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(from));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (seen.add(id)) todo.addAll(links.getOrDefault(id, List.of()));
        }
        return seen;
    }

    /**
     * The nodes in rounds, each round in document order: a node joins the first round in which, scanning in document
     * order, all its upstream nodes are already placed (an upstream node later in the document places it a round
     * later). Computed in one pass over a topological order rather than by repeated scans, so a long chain costs
     * time in proportion to its length.
     */
    private static List<String> topological(Set<String> ids, Map<String, Set<String>> upstream) {
        Map<String, Integer> position = new HashMap<>();
        for (String id : ids) position.put(id, position.size());
        Map<String, List<String>> downstream = new HashMap<>();
        Map<String, Integer> waiting = new HashMap<>();
        Deque<String> ready = new ArrayDeque<>();
        for (String id : ids) {
            waiting.put(id, upstream.get(id).size());
            if (upstream.get(id).isEmpty()) ready.add(id);
            for (String up : upstream.get(id)) downstream.computeIfAbsent(up, k -> new ArrayList<>()).add(id);
        }
        Map<String, Integer> round = new HashMap<>();
        while (!ready.isEmpty()) {
            String id = ready.poll();
            int r = 0;
            for (String up : upstream.get(id)) {
                r = Math.max(r, position.get(up) < position.get(id) ? round.get(up) : round.get(up) + 1);
            }
            round.put(id, r);
            for (String down : downstream.getOrDefault(id, List.of())) {
                if (waiting.merge(down, -1, Integer::sum) == 0) ready.add(down);
            }
        }
        if (round.size() < ids.size()) throw new IllegalStateException("cycle in a validated flow");
        List<String> order = new ArrayList<>(ids);
        order.sort(java.util.Comparator.comparingInt((String id) -> round.get(id)).thenComparingInt(position::get));
        return order;
    }

    public Flow flow() {
        return flow;
    }

    public String start() {
        return start;
    }

    public String end() {
        return end;
    }

    public String result() {
        return result;
    }

    /** The nodes that run, upstream before downstream. */
    public List<String> order() {
        return order;
    }

    public FlowNode node(String id) {
        return nodes.get(id);
    }

    /** Whether every node that runs is pure: the whole task can run in memory, on one thread, in one go. */
    public boolean pure() {
        return pure;
    }

    public RegisteredType type(String id) {
        return types.get(id);
    }

    List<Incoming> incoming(String id) {
        return incoming.get(id);
    }

    Set<String> upstream(String id) {
        return upstream.get(id);
    }

    /** Whether {@code id} names any node of the flow (running or not): template references start with one. */
    boolean isNodeId(String id) {
        return flowNodeIds.contains(id);
    }
}
