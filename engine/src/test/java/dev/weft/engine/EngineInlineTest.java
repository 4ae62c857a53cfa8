package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.testing.DirectExecutorService;
import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.RecordingJournal;
import dev.weft.engine.testing.TestEngine;
import dev.weft.engine.testing.TestNode;
import dev.weft.engine.testing.TestNodes;
import dev.weft.json.Json;
import dev.weft.registry.NodeRegistry;
import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import dev.weft.task.TaskState;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Engine#runInline}: a task of pure nodes runs in one go on the caller's thread, and nothing is recorded. */
class EngineInlineTest {

    private final RecordingJournal journal = new RecordingJournal();
    private final TestEngine test = new TestEngine(journal, new DirectExecutorService(), Limits.DEFAULT);
    private final TestNode inc = TestNodes.inc().asPure();
    private final TestNode branch = TestNodes.branch().asPure();
    private final NodeRegistry registry = TestNodes.registry(inc, branch);

    @AfterEach
    void stop() {
        test.close();
    }

    @Test
    void a_pure_chain_runs_at_once_and_returns_its_steps_in_order_without_recording_them() {
        Graph graph = Flows.chain("inc", 5).compile(registry);

        Engine.InlineRun run = test.engine().runInline(graph, Map.of("start", Json.read("{\"data\": {\"n\": 10}}")))
                .orElseThrow();

        assertThat(run.outcome().state()).isEqualTo(TaskState.COMPLETED);
        assertThat(run.outcome().result()).isEqualTo(Json.read("{\"n\": 15}"));
        assertThat(run.steps()).extracting(StepRecord::nodeId)
                .containsExactly("start", "inc1", "inc2", "inc3", "inc4", "inc5", "end");
        assertThat(run.steps()).extracting(StepRecord::state).containsOnly(StepState.DONE);
        assertThat(run.steps().get(3).inputs()).isEqualTo(Json.read("{\"n\": 12}"));
        assertThat(run.finishedAt()).isAfterOrEqualTo(run.startedAt());
        assertThat(journal.steps()).as("the caller stores the run").isEmpty();
        assertThat(test.engine().runningTasks()).isZero();
    }

    @Test
    void a_branch_not_taken_is_among_the_steps_as_skipped() {
        Graph graph = Flows.flow().start("start", "n:integer").data("{\"n\": 1}").node("cond", "branch")
                .node("yes", "inc").node("no", "inc").end("end", "out")
                .edge("start", "cond", "n").edge("cond", "yes", "true.n -> n").edge("cond", "no", "false.n -> n")
                .edge("yes", "end", "n -> out").edge("no", "end", "n -> out").compile(registry);

        Engine.InlineRun run = test.engine().runInline(graph, Map.of()).orElseThrow();

        assertThat(run.outcome().result()).isEqualTo(Json.read("{\"out\": 2}"));
        assertThat(run.steps()).filteredOn(s -> s.nodeId().equals("no")).extracting(StepRecord::state)
                .containsExactly(StepState.SKIPPED);
    }

    @Test
    void a_failing_node_ends_the_run_failed_with_its_step() {
        Graph graph = Flows.flow().start("start", "n:string").data("{\"n\": \"one\"}").node("x", "inc")
                .end("end", "out").edge("start", "x", "n").edge("x", "end", "n -> out").compile(registry);

        Engine.InlineRun run = test.engine().runInline(graph, Map.of()).orElseThrow();

        assertThat(run.outcome().state()).isEqualTo(TaskState.FAILED);
        assertThat(run.outcome().error().nodeId()).isEqualTo("x");
        assertThat(run.steps()).extracting(StepRecord::nodeId, StepRecord::state)
                .containsExactly(Tuple.tuple("start", StepState.DONE),
                        Tuple.tuple("x", StepState.FAILED));
    }

    @Test
    void a_retry_that_would_wait_gives_the_run_up_and_schedules_nothing() {
        TestNodes.Flaky flaky = TestNodes.flaky(1);
        flaky.asPure();
        Graph graph = Flows.flow().start("start").node("x", "flaky").retry(3, 1000, 2).end("end", "out")
                .edge("start", "x", "success -> @").edge("x", "end", "success -> out")
                .compile(TestNodes.registry(flaky));

        Optional<Engine.InlineRun> run = test.engine().runInline(graph, Map.of());

        assertThat(run).isEmpty();
        assertThat(flaky.callCount()).isEqualTo(1);
        assertThat(test.timer().pending()).isZero();
        assertThat(journal.steps()).isEmpty();
    }

    @Test
    void a_graph_with_a_node_that_is_not_pure_is_refused() {
        Graph graph = Flows.flow().start("start", "n:integer").data("{\"n\": 0}").node("x", "inc").end("end", "n")
                .edge("start", "x", "n").edge("x", "end", "n").compile(TestNodes.registry(TestNodes.inc()));

        assertThat(graph.pure()).isFalse();
        assertThatThrownBy(() -> test.engine().runInline(graph, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
