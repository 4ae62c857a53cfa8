package dev.weft.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Walks a parsed flow's edges for the validator: successors, reachability, ancestors and cycles. */
final class FlowGraph {

    private FlowGraph() {}

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
        for (Edge edge : flow.edges()) {
            List<String> list = predecessors.get(edge.toNode());
            if (list != null) list.add(edge.fromNode());
        }
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
