package dev.weft.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowGraphTest {

    @Test
    void walks_reach_both_ways_through_a_chain_at_the_size_limit_without_recursion() {
        int size = FlowDocument.MAX_NODES;
        List<FlowNode> nodes = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(node("n" + i));
            if (i > 0) edges.add(new Edge("n" + (i - 1), "n" + i, List.of()));
        }
        FlowGraph links = FlowGraph.of(new Flow("chain", nodes, edges, null, null));

        assertThat(links.reachableFrom("n0").cardinality()).isEqualTo(size);
        assertThat(links.reachableFrom("n5000").cardinality()).isEqualTo(size - 5000);
        assertThat(links.reaching("n" + (size - 1)).cardinality()).isEqualTo(size);
        assertThat(links.reaching("n0").cardinality()).isEqualTo(1);
        assertThat(links.reachableFrom("nobody").isEmpty()).isTrue();
        assertThat(links.runOrder()).hasSize(size).startsWith("n0", "n1").endsWith("n" + (size - 1));
        assertThat(links.findCycle()).isEmpty();
    }

    @Test
    void run_order_puts_sources_first_then_the_earliest_in_the_document() {
        // document: d, c, b, a, s;  s -> a -> b, s -> c, c -> d, b -> d
        FlowGraph links = FlowGraph.of(new Flow("f", List.of(node("d"), node("c"), node("b"), node("a"), node("s")),
                List.of(edge("s", "a"), edge("a", "b"), edge("s", "c"), edge("c", "d"), edge("b", "d")), null, null));

        assertThat(links.runOrder()).containsExactly("s", "c", "a", "b", "d");
    }

    @Test
    void run_order_among_some_nodes_counts_only_the_links_between_them() {
        // x -> d comes from outside the chosen nodes, so it does not hold d back
        FlowGraph links = FlowGraph.of(new Flow("f", List.of(node("s"), node("d"), node("a"), node("x")),
                List.of(edge("s", "a"), edge("s", "d"), edge("x", "d")), null, null));
        BitSet among = links.reachableFrom("s");

        assertThat(links.runOrder(among)).containsExactly("s", "d", "a");
        assertThat(links.runOrder()).containsExactly("s", "a", "x", "d");
    }

    @Test
    void a_cycle_is_found_and_left_out_of_the_run_order() {
        FlowGraph links = FlowGraph.of(new Flow("f", List.of(node("s"), node("a"), node("b")),
                List.of(edge("s", "a"), edge("a", "b"), edge("b", "a")), null, null));

        assertThat(links.findCycle()).containsExactly("a", "b", "a");
        assertThat(links.runOrder()).containsExactly("s");
    }

    @Test
    void the_same_pair_linked_twice_is_one_link() {
        FlowGraph links = FlowGraph.of(new Flow("f", List.of(node("s"), node("a")),
                List.of(edge("s", "a"), edge("s", "a")), null, null));

        assertThat(links.runOrder()).containsExactly("s", "a");
        assertThat(links.reaching("a").cardinality()).isEqualTo(2);
    }

    private static FlowNode node(String id) {
        return new FlowNode(id, "test", id, null, NodePolicy.DEFAULT, Overridable.DEFAULT, null);
    }

    private static Edge edge(String from, String to) {
        return new Edge(from, to, List.of());
    }
}
