package dev.weft.builtin;

import static dev.weft.builtin.Calls.call;
import static dev.weft.builtin.Calls.json;
import static dev.weft.builtin.Calls.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.Graph;
import dev.weft.engine.testing.ManualClock;
import dev.weft.engine.testing.ManualTimer;
import dev.weft.engine.testing.TestEngine;
import dev.weft.flow.EndNode;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowValidator;
import dev.weft.flow.StartNode;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.registry.NodeRegistry;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The delay node waits on a timer, not a thread: shown with a manual clock and a node pool smaller than the waits. */
class DelayNodeTest {

    private final ManualClock clock = new ManualClock();
    private final ManualTimer timer = new ManualTimer(clock);
    private final DelayNode delay = new DelayNode(timer, clock);

    @Test
    void delay_answers_when_its_time_comes_and_passes_its_inputs_on() throws Exception {
        CompletableFuture<NodeOutput> answer = delay.runAsync(call("{'duration_ms': 1500}", "{'order': 7}"))
                .toCompletableFuture();

        timer.advance(Duration.ofMillis(1499));
        assertThat(answer).isNotDone();
        timer.advance(Duration.ofMillis(1));
        assertThat(answer.get().data()).isEqualTo(json("{'order': 7, 'waited_ms': 1500}"));
    }

    @Test
    void a_delay_as_long_as_the_step_timeout_fails_before_waiting() {
        NodeCall call = new NodeCall(1, "wait", json("{'duration_ms': 60000}"), Json.object(), 1, Duration.ofSeconds(60));

        assertThatThrownBy(() -> delay.runAsync(call)).isInstanceOfSatisfying(NodeException.class, e -> {
            assertThat(e.type()).isEqualTo("settings");
            assertThat(e.getMessage()).isEqualTo("settings.duration_ms: must be less than the step's timeout_ms"
                    + " (60000; got 60000): raise the node's timeout_ms");
        });
        assertThat(timer.pending()).isZero();
    }

    @Test
    void delay_settings_problems_are_named_by_path() {
        assertThat(problems(delay, "{}")).containsExactly("duration_ms: is required");
        assertThat(problems(delay, "{'duration_ms': 604800001}"))
                .containsExactly("duration_ms: must be at most 604800000 (got 604800001)");
        assertThat(problems(delay, "{'duration_ms': -1}")).containsExactly("duration_ms: must be at least 0 (got -1)");
        assertThat(problems(delay, "{'duration_ms': '{{start.wait}}'}")).isEmpty();
    }

    @Test
    void cancelling_a_delay_removes_its_timer_entry() {
        CompletableFuture<NodeOutput> answer = delay.runAsync(call("{'duration_ms': 1000}")).toCompletableFuture();
        assertThat(timer.pending()).isEqualTo(1);

        answer.cancel(true);

        assertThat(timer.pending()).isZero();
    }

    private static final String TEN_MINUTES = """
            {"name": "wait", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {"n": {"type": "integer"}}}},
              {"id": "wait", "type": "delay", "timeout_ms": 3600000, "settings": {"duration_ms": 600000}},
              {"id": "end", "type": "end", "settings": {"outputs": {"n": {"type": "integer"}, "waited_ms": {"type": "integer"}}}}],
             "edges": [
              {"from_node": "start", "to_node": "wait", "fields_mapping": [{"from_field": "n", "to_field": "n"}]},
              {"from_node": "wait", "to_node": "end", "fields_mapping": [{"from_field": "n", "to_field": "n"},
                 {"from_field": "waited_ms", "to_field": "waited_ms"}]}]}
            """;

    @Test
    void ten_minute_delays_hold_no_node_thread_and_a_cancel_stops_one() throws Exception {
        int pool = 2;
        int tasks = 20;
        try (TestEngine engine = TestEngine.pooled(pool)) {
            NodeRegistry registry = new NodeRegistry(List.of(new StartNode(), new EndNode(),
                    new DelayNode(engine.timer(), engine.clock())));
            Flow flow = new FlowValidator(registry).check(Json.read(TEN_MINUTES));
            Graph graph = Graph.compile(flow, registry, "start", "end", "end");
            List<CompletableFuture<TaskOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < tasks; i++) outcomes.add(engine.start(graph));

            // Ten times more waiting steps than node threads, every one of them started and waiting on the timer.
            assertThat(engine.timer().pending()).isEqualTo(tasks * 2);   // each: its delay and its step timeout
            assertThat(outcomes).noneMatch(CompletableFuture::isDone);
            assertThat(engine.engine().runningTasks()).isEqualTo(tasks);
            assertThat(((ThreadPoolExecutor) engine.nodes()).getActiveCount()).isZero();

            assertThat(engine.engine().cancel(1)).isTrue();
            assertThat(outcomes.get(0).get(5, TimeUnit.SECONDS).state()).isEqualTo(TaskState.CANCELLED);
            assertThat(engine.timer().pending()).isEqualTo((tasks - 1) * 2);

            engine.timer().advance(Duration.ofMinutes(10));
            for (CompletableFuture<TaskOutcome> outcome : outcomes.subList(1, tasks)) {
                TaskOutcome done = outcome.get(5, TimeUnit.SECONDS);
                assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
                assertThat(done.result().get("waited_ms").asLong()).isEqualTo(600_000);
            }
            assertThat(engine.timer().pending()).isZero();
        }
    }

    @Test
    void a_delay_longer_than_its_step_timeout_allows_fails_the_step_with_a_settings_error() throws Exception {
        try (TestEngine engine = TestEngine.direct()) {
            NodeRegistry registry = new NodeRegistry(List.of(new StartNode(), new EndNode(),
                    new DelayNode(engine.timer(), engine.clock())));
            Flow flow = new FlowValidator(registry).check(Json.read(TEN_MINUTES.replace("3600000", "1000")));
            TaskOutcome outcome = engine.start(Graph.compile(flow, registry, "start", "end", "end")).get();
            assertThat(outcome.state()).isEqualTo(TaskState.FAILED);
            assertThat(outcome.error().type()).isEqualTo("settings");
            assertThat(outcome.error().nodeId()).isEqualTo("wait");
        }
    }
}
