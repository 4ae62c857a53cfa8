package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.TestNodes;
import dev.weft.flow.Flow;
import dev.weft.flow.InvalidFlowException;
import dev.weft.registry.NodeRegistry;
import org.junit.jupiter.api.Test;

class GraphTest {

    private final NodeRegistry registry = TestNodes.registry(TestNodes.inc());

    /** s1 -> a -> b -> e1; s2 -> b; a -> e2 */
    private final Flow flow = Flows.flow().start("s1", "n:integer").start("s2", "n:integer")
            .node("a", "inc").node("b", "inc").end("e1", "n").end("e2", "n")
            .edge("s1", "a", "n").edge("a", "b", "n").edge("s2", "b", "n").edge("b", "e1", "n").edge("a", "e2", "n")
            .validate(registry);

    @Test
    void only_nodes_between_the_chosen_start_and_end_run_in_topological_order() {
        assertThat(Graph.compile(flow, registry, "s1", "e1", null).order()).containsExactly("s1", "a", "b", "e1");
        assertThat(Graph.compile(flow, registry, "s1", "e2", null).order()).containsExactly("s1", "a", "e2");
        assertThat(Graph.compile(flow, registry, "s2", "e1", null).order()).containsExactly("s2", "b", "e1");
    }

    @Test
    void result_node_defaults_to_the_end_node() {
        assertThat(Graph.compile(flow, registry, "s1", "e1", null).result()).isEqualTo("e1");
        assertThat(Graph.compile(flow, registry, "s1", "e1", "a").result()).isEqualTo("a");
    }

    @Test
    void ids_that_do_not_fit_are_refused_naming_the_field() {
        assertThat(field(() -> Graph.compile(flow, registry, "a", "e1", null))).isEqualTo("start_node_id");
        assertThat(field(() -> Graph.compile(flow, registry, "s1", "b", null))).isEqualTo("end_node_id");
        assertThat(field(() -> Graph.compile(flow, registry, "s2", "e2", null))).isEqualTo("end_node_id");
        assertThat(field(() -> Graph.compile(flow, registry, "s2", "e1", "a"))).isEqualTo("result_node_id");
    }

    private static String field(Runnable compile) {
        try {
            compile.run();
        } catch (InvalidFlowException e) {
            return e.problems().get(0).field();
        }
        throw new AssertionError("expected InvalidFlowException");
    }
}
