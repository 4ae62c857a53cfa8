package dev.weft.flow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A flow's graph as parsed from its document: nodes, edges and the default start and end nodes.
 * Immutable; a published version's {@code Flow} is parsed once and shared by every task that runs it.
 */
public record Flow(String name, List<FlowNode> nodes, List<Edge> edges, String defaultStart, String defaultEnd) {

    public Flow {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    public Map<String, FlowNode> nodesById() {
        Map<String, FlowNode> byId = new LinkedHashMap<>();
        for (FlowNode node : nodes) byId.putIfAbsent(node.id(), node);
        return byId;
    }

    public Optional<FlowNode> node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    /**
     * Each node's place in the flow's run order ({@link FlowGraph#runOrder(java.util.BitSet)}): steps that finished at
     * the same instant are listed in this order. Nodes on a cycle (a flow that does not validate) come last, in
     * document order.
     */
    public Map<String, Integer> runOrder() {
        Map<String, Integer> order = new LinkedHashMap<>();
        for (String id : FlowGraph.of(this).runOrder()) order.put(id, order.size());
        for (FlowNode node : nodes) order.putIfAbsent(node.id(), order.size());
        return order;
    }

    public List<FlowNode> nodesOfType(String type) {
        return nodes.stream().filter(n -> n.type().equals(type)).toList();
    }
}
