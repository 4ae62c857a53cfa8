package dev.weft.nodes;

import static dev.weft.nodes.Calls.call;
import static dev.weft.nodes.Calls.json;
import static dev.weft.nodes.Calls.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MergeAndDelayTest {

    private final MergeNode merge = new MergeNode();
    private final List<Duration> waits = new ArrayList<>();
    private final DelayNode delay = new DelayNode(waits::add);

    @Test
    void merge_combines_the_branches_as_an_object_or_as_a_list_in_edge_order() {
        assertThat(merge.run(call("{}", "{'a': 1, 'b': {'x': 2}}")).data()).isEqualTo(json("{'a': 1, 'b': {'x': 2}}"));
        assertThat(merge.run(call("{'combine': 'list'}", "{'b': 2, 'a': 1}")).data())
                .isEqualTo(json("{'items': [2, 1]}"));
    }

    @Test
    void merge_waits_for_every_branch_unless_told_to_take_the_first() {
        assertThat(merge.needsEveryInput(json("{}"))).isTrue();
        assertThat(merge.needsEveryInput(json("{'wait': 'all'}"))).isTrue();
        assertThat(merge.needsEveryInput(json("{'wait': 'first'}"))).isFalse();
    }

    @Test
    void merge_settings_problems_are_named_by_path() {
        assertThat(problems(merge, "{'wait': 'some', 'combine': 'set'}")).containsExactly(
                "wait: must be one of all, first (got \"some\")", "combine: must be one of object, list (got \"set\")");
        assertThatThrownBy(() -> merge.run(call("{'combine': 3}")))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.type()).isEqualTo("settings"));
    }

    @Test
    void delay_waits_then_passes_its_inputs_on() throws Exception {
        assertThat(delay.run(call("{'duration_ms': 1500}", "{'order': 7}")).data())
                .isEqualTo(json("{'order': 7, 'waited_ms': 1500}"));
        assertThat(waits).containsExactly(Duration.ofMillis(1500));
    }

    @Test
    void a_delay_as_long_as_the_step_timeout_fails_before_waiting() {
        NodeCall call = new NodeCall(1, "wait", json("{'duration_ms': 60000}"), Json.object(), 1, Duration.ofSeconds(60));

        assertThatThrownBy(() -> delay.run(call)).isInstanceOfSatisfying(NodeException.class, e -> {
            assertThat(e.type()).isEqualTo("settings");
            assertThat(e.getMessage()).isEqualTo("settings.duration_ms: must be less than the step's timeout_ms"
                    + " (60000; got 60000): raise the node's timeout_ms");
        });
        assertThat(waits).isEmpty();
    }

    @Test
    void delay_settings_problems_are_named_by_path() {
        assertThat(problems(delay, "{}")).containsExactly("duration_ms: is required");
        assertThat(problems(delay, "{'duration_ms': 400000}")).containsExactly("duration_ms: must be at most 300000 (got 400000)");
        assertThat(problems(delay, "{'duration_ms': '{{start.wait}}'}")).isEmpty();
    }

    @Test
    void a_real_delay_is_interrupted_by_a_step_timeout() {
        DelayNode real = new DelayNode();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> real.run(call("{'duration_ms': 1000}"))).isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
    }
}
