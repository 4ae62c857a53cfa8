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
     * Each node's place in an order where every node comes after the nodes with an edge to it (ties in document
     * order): steps that finished at the same instant are listed in this order. Nodes on a cycle (a flow that does not
     * validate) come last.
     */
    public Map<String, Integer> runOrder() {
        Map<String, List<String>> next = FlowGraph.successors(this);
        Map<String, Integer> waitingFor = new LinkedHashMap<>();
        for (String id : next.keySet()) waitingFor.put(id, 0);
        next.values().forEach(targets -> targets.forEach(t -> waitingFor.merge(t, 1, Integer::sum)));
        Map<String, Integer> order = new LinkedHashMap<>();
        boolean placed = true;
        while (placed) {
            placed = false;
            for (Map.Entry<String, Integer> entry : waitingFor.entrySet()) {
                if (entry.getValue() != 0 || order.containsKey(entry.getKey())) continue;
                order.put(entry.getKey(), order.size());
                next.get(entry.getKey()).forEach(t -> waitingFor.merge(t, -1, Integer::sum));
                placed = true;
                break;   // start again from the top: the earliest ready node in document order goes first
            }
        }
        for (String id : next.keySet()) order.putIfAbsent(id, order.size());
        return order;
    }

    public List<FlowNode> nodesOfType(String type) {
        return nodes.stream().filter(n -> n.type().equals(type)).toList();
    }
}
