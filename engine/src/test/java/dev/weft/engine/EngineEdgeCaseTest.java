package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.testing.DirectExecutorService;
import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.RecordingJournal;
import dev.weft.engine.testing.TestEngine;
import dev.weft.engine.testing.TestNode;
import dev.weft.engine.testing.TestNodes;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import dev.weft.registry.NodeRegistry;
import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import dev.weft.task.TaskError;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The engine where things go wrong at odd moments: everything on the test thread, driven by the manual timer. */
class EngineEdgeCaseTest {

    private final RecordingJournal journal = new RecordingJournal();
    private final TestEngine test = new TestEngine(journal, new DirectExecutorService(), Limits.DEFAULT);
    private final TestNode counting = TestNodes.counting();
    private final TestNode echo = TestNodes.echo();
    private final TestNodes.Flaky flaky = TestNodes.flaky(1);

    @Test
    void settings_that_cannot_be_rendered_fail_the_step_without_calling_the_node() {
        Graph graph = Flows.flow().start("start").node("e", "echo").end("end", "out")
                .edge("start", "e", "success -> @").edge("e", "end", "success -> out").compile(registry());

        TaskOutcome outcome = test.start(new TaskRequest(1, graph,
                Map.of("e", Json.read("{\"data\": {\"text\": \"{{ start.x\"}}")), List.of())).join();

        assertThat(outcome.state()).isEqualTo(TaskState.FAILED);
        assertThat(outcome.error().type()).isEqualTo("settings");
        assertThat(outcome.error().nodeId()).isEqualTo("e");
        assertThat(echo.callCount()).isZero();
    }

    @Test
    void failed_record_ends_the_task_and_starts_nothing_more() {
        journal.hold("a").completeExceptionally(new IllegalStateException("disk full"));

        TaskOutcome outcome = test.start(twoBranches()).join();

        assertThat(outcome.error().type()).isEqualTo("storage");
        assertThat(counting.callCount("a") + counting.callCount("b")).as("the branch after the failed record")
                .isEqualTo(1);
    }

    @Test
    void cancel_while_a_retry_waits_stops_the_retry() {
        long taskId = test.nextTaskId();
        CompletableFuture<TaskOutcome> outcome = test.start(Flows.flow().start("start").node("x", "flaky")
                .retry(2, 1000, 1).end("end", "out").edge("start", "x", "success -> @")
                .edge("x", "end", "success -> out").compile(registry()));
        assertThat(test.timer().pending()).isEqualTo(1);

        test.engine().cancel(taskId);
        test.timer().advance(Duration.ofSeconds(10));

        assertThat(outcome.join().state()).isEqualTo(TaskState.CANCELLED);
        assertThat(flaky.callCount()).isEqualTo(1);
        assertThat(test.timer().pending()).isZero();
    }

    @Test
    void retry_without_backoff_runs_at_once() {
        TaskOutcome outcome = test.start(Flows.flow().start("start").node("x", "flaky").retry(2, 0, 1)
                .end("end", "out").edge("start", "x", "success -> @").edge("x", "end", "success -> out")
                .compile(registry())).join();

        assertThat(outcome.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(flaky.callCount()).isEqualTo(2);
    }

    @Test
    void resumed_task_with_a_recorded_failure_fails_without_running_anything() {
        Instant t = test.clock().instant();
        TaskError error = new TaskError("flaky", "broke", "a");
        List<StepRecord> recorded = List.of(
                new StepRecord("start", "start", StepState.DONE, "success", null, Json.object(), null, List.of(), t, t),
                new StepRecord("a", "count", StepState.FAILED, null, null, null, error, List.of(), t, t));

        TaskOutcome outcome = test.start(new TaskRequest(5, twoBranches(), Map.of(), recorded)).join();

        assertThat(outcome).isEqualTo(TaskOutcome.failed(error));
        assertThat(counting.calls()).isEmpty();
    }

    @Test
    void resumed_task_whose_steps_all_finished_completes_with_the_recorded_result() {
        Instant t = test.clock().instant();
        Graph graph = twoBranches();
        List<StepRecord> recorded = graph.order().stream().map(id -> new StepRecord(id, graph.node(id).type(),
                StepState.DONE, "success", null, (ObjectNode) Json.read("{\"x\": \"" + id + "\"}"), null, List.of(),
                t, t)).toList();

        TaskOutcome outcome = test.start(new TaskRequest(5, graph, Map.of(), recorded)).join();

        assertThat(outcome.result()).isEqualTo(Json.read("{\"x\": \"end\"}"));
        assertThat(counting.calls()).isEmpty();
        assertThat(journal.steps()).isEmpty();
    }

    @Test
    void node_that_emits_on_an_unknown_port_fails_its_step() {
        TestNode odd = new TestNode("odd") {
            @Override
            protected NodeOutput answer(NodeCall call) {
                return new NodeOutput("sideways", Json.object());
            }
        };
        Graph graph = Flows.flow().start("start").node("o", "odd").end("end", "out")
                .edge("start", "o", "success -> @").edge("o", "end", "success -> out")
                .compile(TestNodes.registry(odd));

        TaskOutcome outcome = test.start(graph).join();

        assertThat(outcome.error().type()).isEqualTo("node_error");
        assertThat(outcome.error().message()).contains("unknown port sideways");
    }

    /** start -> a, b (count) -> end {x: a, y: b} */
    private Graph twoBranches() {
        return Flows.flow().start("start").node("a", "count").node("b", "count").end("end", "x", "y")
                .edge("start", "a", "success -> @").edge("start", "b", "success -> @")
                .edge("a", "end", "success -> x").edge("b", "end", "success -> y").compile(registry());
    }

    private NodeRegistry registry() {
        return TestNodes.registry(counting, echo, flaky);
    }
}
