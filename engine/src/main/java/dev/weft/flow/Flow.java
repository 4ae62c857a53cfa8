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
        List<String> ids = new java.util.ArrayList<>(next.keySet());
        Map<String, Integer> position = new java.util.HashMap<>();
        for (String id : ids) position.put(id, position.size());
        int[] waitingFor = new int[ids.size()];
        next.values().forEach(targets -> targets.forEach(t -> waitingFor[position.get(t)]++));
        // the earliest ready node in document order goes first: a heap of ready positions, linear in the edges
        java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
        for (int i = 0; i < waitingFor.length; i++) if (waitingFor[i] == 0) ready.add(i);
        Map<String, Integer> order = new LinkedHashMap<>();
        while (!ready.isEmpty()) {
            String id = ids.get(ready.poll());
            order.put(id, order.size());
            for (String target : next.get(id)) {
                if (--waitingFor[position.get(target)] == 0) ready.add(position.get(target));
            }
        }
        for (String id : ids) order.putIfAbsent(id, order.size());
        return order;
    }

    public List<FlowNode> nodesOfType(String type) {
        return nodes.stream().filter(n -> n.type().equals(type)).toList();
    }
}
