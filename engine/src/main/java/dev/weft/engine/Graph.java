package dev.weft.engine;

import dev.weft.flow.Edge;
import dev.weft.registry.RegisteredType;
import dev.weft.flow.FieldMapping;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowGraph;
import dev.weft.flow.FlowNode;
import dev.weft.flow.InvalidFlowException;
import dev.weft.flow.PortRef;
import dev.weft.registry.NodeRegistry;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated flow compiled for one choice of start, end and result node: the nodes between start and end in
 * the flow's run order, each with its resolved incoming mappings and, for the planner, its place in that order.
 * Immutable and shared by all tasks that use it.
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
    private final Map<String, Integer> positions;
    private final int[] sourceCounts;
    private final int[][] targets;
    /** By position: whether every node downstream of it is pure (nothing after it reaches outside the process). */
    private final boolean[] onlyPureAfter;

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
        this.positions = new HashMap<>();
        for (String id : this.order) positions.put(id, positions.size());
        this.sourceCounts = new int[this.order.size()];
        List<List<Integer>> targets = new ArrayList<>();
        for (int i = 0; i < this.order.size(); i++) targets.add(new ArrayList<>());
        for (String id : this.order) {
            int position = positions.get(id);
            sourceCounts[position] = this.upstream.get(id).size();
            for (String source : this.upstream.get(id)) targets.get(positions.get(source)).add(position);
        }
        this.targets = new int[targets.size()][];
        for (int i = 0; i < this.targets.length; i++) {
            this.targets[i] = targets.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        this.onlyPureAfter = new boolean[this.order.size()];
        for (int i = this.order.size() - 1; i >= 0; i--) {   // downstream before upstream
            boolean pureAfter = true;
            for (int target : this.targets[i]) {
                pureAfter &= this.types.get(this.order.get(target)).pure() && onlyPureAfter[target];
            }
            onlyPureAfter[i] = pureAfter;
        }
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
        FlowGraph links = FlowGraph.of(flow);
        BitSet between = links.reachableFrom(startId);
        between.and(links.reaching(endId));
        if (!between.get(links.position(endId))) {
            throw new InvalidFlowException("end_node_id", "end node '" + endId + "' cannot be reached from start node '"
                    + startId + "'");
        }
        String resultNode = resultId == null ? endId : resultId;
        int resultPosition = links.position(resultNode);
        if (resultPosition < 0 || !between.get(resultPosition)) {
            throw new InvalidFlowException("result_node_id", "node '" + resultNode + "' does not run between '"
                    + startId + "' and '" + endId + "'");
        }
        Map<String, FlowNode> nodes = new LinkedHashMap<>();
        Map<String, RegisteredType> types = new HashMap<>();
        for (FlowNode node : flow.nodes()) {
            if (between.get(links.position(node.id()))) {
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
        List<String> order = links.runOrder(between);
        if (order.size() < nodes.size()) throw new IllegalStateException("cycle in a validated flow");
        return new Graph(flow, startId, endId, resultNode, order, nodes, types, incoming, upstream);
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

    /** The nodes that run, in the flow's run order ({@link FlowGraph#runOrder(BitSet)}): upstream before downstream. */
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

    /**
     * Whether every node that runs after {@code id} (reachable from it) is pure: once it has finished, nothing the task
     * does before its outcome reaches outside the process, so its record needs to be durable only with the outcome.
     */
    boolean onlyPureAfter(String id) {
        int position = position(id);
        return position >= 0 && onlyPureAfter[position];
    }

    /** The behaviour of node {@code id} (its {@link FlowNode#type()} is the type's id). */
    public RegisteredType nodeType(String id) {
        return types.get(id);
    }

    /** How many nodes run. */
    int size() {
        return order.size();
    }

    /** The place of node {@code id} in {@link #order()} (the planner's index of a node), or -1 when it does not run. */
    int position(String id) {
        Integer position = positions.get(id);
        return position == null ? -1 : position;
    }

    /** The node at {@code position} in {@link #order()}. */
    String id(int position) {
        return order.get(position);
    }

    /** How many nodes that run have an edge to the node at {@code position}. */
    int sourceCount(int position) {
        return sourceCounts[position];
    }

    /** The positions of the nodes that run and have an edge from the node at {@code position}, each once. */
    int[] targets(int position) {
        return targets[position];
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
