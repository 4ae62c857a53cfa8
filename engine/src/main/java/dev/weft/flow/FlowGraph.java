package dev.weft.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A flow's links, indexed once, and the one place where Weft walks them: reachability, cycles and the run order,
 * for the validator and for the engine's compiled graphs alike. A node is known by its place in the document (the
 * first node with a given id); the same pair of nodes linked twice (with other mappings) is one link, and edges
 * naming unknown nodes are left out. Every walk keeps its own stack or heap, so a flow as long as the size limits
 * admit cannot overflow the thread's stack, and costs time in proportion to the nodes and links it visits.
 */
public final class FlowGraph {

    private final List<String> ids;
    private final Map<String, Integer> index;
    private final int[][] next;
    private final int[][] previous;

    private FlowGraph(List<String> ids, Map<String, Integer> index, int[][] next, int[][] previous) {
        this.ids = ids;
        this.index = index;
        this.next = next;
        this.previous = previous;
    }

    /** Indexes the links of {@code flow}, in document order. */
    public static FlowGraph of(Flow flow) {
        List<String> ids = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (FlowNode node : flow.nodes()) {
            if (index.putIfAbsent(node.id(), ids.size()) == null) ids.add(node.id());
        }
        List<List<Integer>> next = new ArrayList<>();
        List<List<Integer>> previous = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            next.add(new ArrayList<>());
            previous.add(new ArrayList<>());
        }
        Set<Long> seen = new HashSet<>();
        for (Edge edge : flow.edges()) {
            Integer from = index.get(edge.fromNode());
            Integer to = index.get(edge.toNode());
            if (from == null || to == null || !seen.add(((long) from << 32) | to)) continue;
            next.get(from).add(to);
            previous.get(to).add(from);
        }
        return new FlowGraph(List.copyOf(ids), Map.copyOf(index), arrays(next), arrays(previous));
    }

    private static int[][] arrays(List<List<Integer>> lists) {
        int[][] arrays = new int[lists.size()][];
        for (int i = 0; i < arrays.length; i++) arrays[i] = lists.get(i).stream().mapToInt(Integer::intValue).toArray();
        return arrays;
    }

    /** How many nodes the flow has (distinct ids). */
    public int size() {
        return ids.size();
    }

    /** The id of the node at {@code position} in the document. */
    public String id(int position) {
        return ids.get(position);
    }

    /** The node's position in the document, or -1 when no node has {@code id}. */
    public int position(String id) {
        Integer position = index.get(id);
        return position == null ? -1 : position;
    }

    /** The nodes reachable from {@code id} along the links (itself included), as bits of their positions. */
    public BitSet reachableFrom(String id) {
        return walk(position(id), next);
    }

    /** The nodes from which {@code id} is reachable (itself included), as bits of their positions. */
    public BitSet reaching(String id) {
        return walk(position(id), previous);
    }

    /** The one walker: depth first from {@code from} along {@code links}, with the stack on the heap. */
    private BitSet walk(int from, int[][] links) {
        BitSet seen = new BitSet(ids.size());
        if (from < 0) return seen;
        Deque<Integer> todo = new ArrayDeque<>(List.of(from));
        while (!todo.isEmpty()) {
            int node = todo.pop();
            if (seen.get(node)) continue;
            seen.set(node);
            for (int target : links[node]) {
                if (!seen.get(target)) todo.push(target);
            }
        }
        return seen;
    }

    /**
     * The run order of the nodes in {@code among}, counting only the links between them: every node comes after
     * the nodes linked to it, and of the nodes whose sources are all placed, the one first in the document goes
     * next. This is the one order in which Weft lists a flow's nodes: the engine plans in it, and steps that
     * finished at the same instant are read in it. Nodes on a cycle (a flow that does not validate) are left out.
     */
    public List<String> runOrder(BitSet among) {
        int[] waitingFor = new int[ids.size()];
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int node = among.nextSetBit(0); node >= 0; node = among.nextSetBit(node + 1)) {
            for (int source : previous[node]) if (among.get(source)) waitingFor[node]++;
            if (waitingFor[node] == 0) ready.add(node);
        }
        List<String> order = new ArrayList<>(among.cardinality());
        while (!ready.isEmpty()) {
            int node = ready.poll();
            order.add(ids.get(node));
            for (int target : next[node]) {
                if (among.get(target) && --waitingFor[target] == 0) ready.add(target);
            }
        }
        return order;
    }

    /** The run order of all the flow's nodes ({@link #runOrder(BitSet)}). */
    public List<String> runOrder() {
        BitSet all = new BitSet(ids.size());
        all.set(0, ids.size());
        return runOrder(all);
    }

    /** A cycle as a list of node ids (first repeated at the end), or an empty list. */
    List<String> findCycle() {
        byte[] color = new byte[ids.size()];   // 1 = on the current path, 2 = done
        for (int root = 0; root < ids.size(); root++) {
            if (color[root] != 0) continue;
            List<String> cycle = visit(root, color);
            if (!cycle.isEmpty()) return cycle;
        }
        return List.of();
    }

    /** Depth-first from {@code root} with an explicit path: each frame is a node and how many successors it tried. */
    private List<String> visit(int root, byte[] color) {
        Deque<int[]> path = new ArrayDeque<>();   // {node, successors tried}
        color[root] = 1;
        path.push(new int[] {root, 0});
        while (!path.isEmpty()) {
            int[] frame = path.peek();
            int[] targets = next[frame[0]];
            if (frame[1] == targets.length) {
                color[frame[0]] = 2;
                path.pop();
                continue;
            }
            int target = targets[frame[1]++];
            if (color[target] == 0) {
                color[target] = 1;
                path.push(new int[] {target, 0});
            } else if (color[target] == 1) {
                return cycleEndingAt(target, path);
            }
        }
        return List.of();
    }

    /** The part of {@code path} (top = last) from {@code node} on, closed by {@code node} again. */
    private List<String> cycleEndingAt(int node, Deque<int[]> path) {
        List<String> cycle = new ArrayList<>();
        boolean in = false;
        for (java.util.Iterator<int[]> it = path.descendingIterator(); it.hasNext(); ) {
            int p = it.next()[0];
            if (p == node) in = true;
            if (in) cycle.add(ids.get(p));
        }
        cycle.add(ids.get(node));
        return cycle;
    }

    /** Each node's incoming edges, in document order (nodes without any are absent). */
    static Map<String, List<Edge>> incoming(Flow flow) {
        Map<String, List<Edge>> incoming = new HashMap<>();
        for (Edge edge : flow.edges()) incoming.computeIfAbsent(edge.toNode(), k -> new ArrayList<>()).add(edge);
        return incoming;
    }
}
