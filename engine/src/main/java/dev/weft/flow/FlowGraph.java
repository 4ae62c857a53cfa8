package dev.weft.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a parsed flow's edges for the validator: successors, incoming edges, reachability and cycles. Every walk
 * keeps its own stack or queue on the heap, so a flow as long as the size limits admit cannot overflow the
 * thread's stack; each costs time in proportion to the nodes and edges it visits.
 */
final class FlowGraph {

    private FlowGraph() {}

    /** Each node's incoming edges, in document order (nodes without any are absent). */
    static Map<String, List<Edge>> incoming(Flow flow) {
        Map<String, List<Edge>> incoming = new HashMap<>();
        for (Edge edge : flow.edges()) incoming.computeIfAbsent(edge.toNode(), k -> new ArrayList<>()).add(edge);
        return incoming;
    }

    static Map<String, List<String>> successors(Flow flow) {
        Map<String, List<String>> next = new LinkedHashMap<>();
        for (FlowNode node : flow.nodes()) next.put(node.id(), new ArrayList<>());
        Set<Edge> seen = new HashSet<>();
        for (Edge edge : flow.edges()) {
            List<String> list = next.get(edge.fromNode());
            // the same pair twice (with other mappings) is one link
            if (list != null && seen.add(new Edge(edge.fromNode(), edge.toNode(), List.of()))) list.add(edge.toNode());
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

    /**
     * The nodes reachable from {@code from} (itself included), as bits of {@code index}: a compact answer to "is
     * this node downstream of that one", kept per referenced node by the template checks.
     */
    static BitSet descendants(String from, Map<String, List<String>> successors, Map<String, Integer> index) {
        BitSet seen = new BitSet(index.size());
        Deque<String> todo = new ArrayDeque<>(List.of(from));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            Integer bit = index.get(id);
            if (bit == null || seen.get(bit)) continue;
            seen.set(bit);
            todo.addAll(successors.getOrDefault(id, List.of()));
        }
        return seen;
    }

    /** A cycle as a list of node ids (first repeated at the end), or an empty list. */
    static List<String> findCycle(Flow flow, Map<String, List<String>> successors) {
        Map<String, Integer> color = new HashMap<>();   // 1 = on the current path, 2 = done
        for (FlowNode node : flow.nodes()) {
            if (color.containsKey(node.id())) continue;
            List<String> cycle = visit(node.id(), successors, color);
            if (!cycle.isEmpty()) return cycle;
        }
        return List.of();
    }

    /** Depth-first from {@code root} with an explicit path: each frame is a node and how many successors it tried. */
    private static List<String> visit(String root, Map<String, List<String>> successors, Map<String, Integer> color) {
        Deque<String> path = new ArrayDeque<>();
        Deque<int[]> tried = new ArrayDeque<>();
        color.put(root, 1);
        path.push(root);
        tried.push(new int[] {0});
        while (!path.isEmpty()) {
            List<String> next = successors.getOrDefault(path.peek(), List.of());
            int[] position = tried.peek();
            if (position[0] == next.size()) {
                color.put(path.pop(), 2);
                tried.pop();
                continue;
            }
            String id = next.get(position[0]++);
            Integer c = color.get(id);
            if (c == null) {
                color.put(id, 1);
                path.push(id);
                tried.push(new int[] {0});
            } else if (c == 1) {
                return cycleEndingAt(id, path);
            }
        }
        return List.of();
    }

    /** The part of {@code path} (top = last) from {@code id} on, closed by {@code id} again. */
    private static List<String> cycleEndingAt(String id, Deque<String> path) {
        List<String> cycle = new ArrayList<>();
        boolean in = false;
        for (java.util.Iterator<String> it = path.descendingIterator(); it.hasNext(); ) {
            String p = it.next();
            if (p.equals(id)) in = true;
            if (in) cycle.add(p);
        }
        cycle.add(id);
        return cycle;
    }
}
