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
import dev.weft.registry.NodeRegistry;
import dev.weft.task.InMemoryJournal;
import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class EngineRunTest {

    private final TestNode inc = TestNodes.inc();
    private final TestNode counting = TestNodes.counting();
    private final TestNode echo = TestNodes.echo();
    private final TestNode branch = TestNodes.branch();
    private final NodeRegistry registry = TestNodes.registry(inc, counting, echo, branch);
    private final TestEngine test = TestEngine.direct();

    @Test
    void ten_node_chain_computes_n_equals_10() {
        Flows flow = Flows.chain("inc", 10);

        TaskOutcome outcome = test.start(flow.compile(registry)).join();

        assertThat(outcome.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(outcome.result()).isEqualTo(Json.read("{\"n\": 10}"));
        assertThat(inc.callCount()).isEqualTo(10);
        assertThat(journal().steps(1)).extracting(StepRecord::state).containsOnly(StepState.DONE).hasSize(12);
    }

    @Test
    void condition_runs_one_branch_and_records_the_other_as_skipped() {
        Graph graph = Flows.flow().start("start", "n:integer").data("{\"n\": -1}").node("cond", "branch")
                .node("yes", "inc").node("no", "count").end("end", "out")
                .edge("start", "cond", "n").edge("cond", "yes", "true.n -> n").edge("cond", "no", "false")
                .edge("yes", "end", "n -> out").edge("no", "end", "success -> out").compile(registry);

        TaskOutcome outcome = test.start(graph).join();

        assertThat(outcome.result()).isEqualTo(Json.read("{\"out\": {\"false\": {\"n\": -1}}}"));
        assertThat(inc.callCount()).isZero();
        assertThat(stateOf("yes")).isEqualTo(StepState.SKIPPED);
        assertThat(stateOf("no")).isEqualTo(StepState.DONE);
    }

    @Test
    void templates_in_settings_are_rendered_from_upstream_outputs_and_inputs() {
        Graph graph = Flows.flow().start("start", "name", "n:integer").data("{\"name\": \"Ada\", \"n\": 3}")
                .node("echo", "echo", """
                        {"greeting": "hello {{start.name}}, n={{ start.n }}", "raw": "{{start.n}}",
                         "own": "{{who}}", "list": ["{{start.name}}"], "missing": "[{{start.nothing}}]"}""")
                .end("end", "out")
                .edge("start", "echo", "name -> who").edge("echo", "end", "success -> out").compile(registry);

        TaskOutcome outcome = test.start(graph).join();

        assertThat(outcome.result().get("out")).isEqualTo(Json.read("""
                {"greeting": "hello Ada, n=3", "raw": 3, "own": "Ada", "list": ["Ada"], "missing": "[]"}"""));
    }

    @Test
    void a_step_records_its_settings_as_rendered_and_start_and_end_record_none() {
        Graph graph = Flows.flow().start("start", "name").data("{\"name\": \"Ada\"}")
                .node("echo", "echo", "{\"url\": \"https://x.example/{{start.name}}\", \"n\": 1}")
                .end("end", "out").edge("start", "echo", "success -> @").edge("echo", "end", "success -> out")
                .compile(registry);

        test.start(graph).join();

        java.util.Map<String, ObjectNode> rendered = new java.util.HashMap<>();
        journal().steps(1).forEach(s -> rendered.put(s.nodeId(), s.renderedSettings()));
        assertThat(rendered.get("echo")).isEqualTo(Json.read("{\"url\": \"https://x.example/Ada\", \"n\": 1}"));
        assertThat(rendered).containsEntry("start", null).containsEntry("end", null);
    }

    @Test
    void node_settings_override_the_start_nodes_saved_data() {
        Graph graph = Flows.flow().start("start", "n:integer").data("{\"n\": 0}").node("a", "inc").end("end", "n")
                .edge("start", "a", "n").edge("a", "end", "n").compile(registry);

        TaskOutcome outcome = test.start(new TaskRequest(7, graph, Map.of("start", Json.read("{\"data\": {\"n\": 41}}")),
                List.of())).join();

        assertThat(outcome.result()).isEqualTo(Json.read("{\"n\": 42}"));
    }

    @Test
    void node_settings_override_a_nodes_settings_by_name() {
        Graph graph = Flows.flow().start("start").node("echo", "echo", "{\"word\": \"saved\", \"kept\": 1}")
                .end("end", "out").edge("start", "echo", "success -> @").edge("echo", "end", "success -> out")
                .compile(registry);

        TaskOutcome outcome = test.start(new TaskRequest(7, graph,
                Map.of("echo", Json.read("{\"data\": {\"word\": \"run\"}}")), List.of())).join();

        assertThat(outcome.result().get("out")).isEqualTo(Json.read("{\"word\": \"run\", \"kept\": 1}"));
    }

    @Test
    void resumed_task_does_not_call_finished_nodes_again() {
        Graph graph = Flows.flow().start("start", "n:integer").data("{\"n\": 0}").node("a", "inc").node("b", "inc")
                .end("end", "n").edge("start", "a", "n").edge("a", "b", "n").edge("b", "end", "n").compile(registry);
        Instant t = test.clock().instant();
        List<StepRecord> recorded = List.of(
                new StepRecord("start", "start", StepState.DONE, "success", null, object("{\"n\": 0}"), null, List.of(), t, t),
                new StepRecord("a", "inc", StepState.DONE, "success", object("{\"n\": 0}"), object("{\"n\": 100}"), null,
                        List.of(), t, t));

        TaskOutcome outcome = test.start(new TaskRequest(9, graph, Map.of(), recorded)).join();

        assertThat(outcome.result()).as("b used a's recorded output").isEqualTo(Json.read("{\"n\": 101}"));
        assertThat(inc.callCount("a")).isZero();
        assertThat(inc.callCount("b")).isEqualTo(1);
        assertThat(journal().steps(9)).extracting(StepRecord::nodeId).containsExactly("b", "end");
    }

    @Test
    void step_counts_as_finished_only_after_the_journal_committed_it() {
        RecordingJournal journal = new RecordingJournal();
        CompletableFuture<Void> commit = journal.hold("a");
        TestEngine engine = new TestEngine(journal, new DirectExecutorService(), Limits.DEFAULT);
        Graph graph = Flows.flow().start("start", "n:integer").data("{\"n\": 0}").node("a", "inc").node("b", "inc")
                .end("end", "n").edge("start", "a", "n").edge("a", "b", "n").edge("b", "end", "n").compile(registry);

        CompletableFuture<TaskOutcome> outcome = engine.start(graph);

        assertThat(inc.callCount("a")).isEqualTo(1);
        assertThat(inc.callCount("b")).as("b waits for a's record to commit").isZero();
        assertThat(outcome).isNotDone();

        commit.complete(null);

        assertThat(inc.callCount("b")).isEqualTo(1);
        assertThat(outcome.join().result()).isEqualTo(Json.read("{\"n\": 2}"));
    }

    @Test
    void journal_that_cannot_record_a_step_fails_the_task() {
        RecordingJournal journal = new RecordingJournal();
        CompletableFuture<Void> commit = journal.hold("a");
        TestEngine engine = new TestEngine(journal, new DirectExecutorService(), Limits.DEFAULT);
        Graph graph = Flows.flow().start("start", "n:integer").data("{\"n\": 0}").node("a", "inc").end("end", "n")
                .edge("start", "a", "n").edge("a", "end", "n").compile(registry);

        CompletableFuture<TaskOutcome> outcome = engine.start(graph);
        commit.completeExceptionally(new IllegalStateException("disk full"));

        TaskOutcome failed = outcome.join();
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.error().type()).isEqualTo("storage");
        assertThat(failed.error().nodeId()).isEqualTo("a");
        assertThat(failed.error().message()).contains("disk full");
    }

    @Test
    void output_over_the_limit_fails_the_step_with_output_too_large() {
        TestEngine small = new TestEngine(new InMemoryJournal(), new DirectExecutorService(), new Limits(100));
        Graph graph = Flows.flow().start("start").node("big", "echo", "{\"text\": \"" + "x".repeat(200) + "\"}")
                .retry(3, 10, 1).end("end", "out").edge("start", "big", "success -> @")
                .edge("big", "end", "success -> out").compile(registry);

        TaskOutcome outcome = small.start(graph).join();

        assertThat(outcome.state()).isEqualTo(TaskState.FAILED);
        assertThat(outcome.error().type()).isEqualTo("output_too_large");
        assertThat(outcome.error().nodeId()).isEqualTo("big");
        assertThat(outcome.error().message()).contains("over the limit of 100 bytes");
        assertThat(echo.callCount()).as("a too large output is not retried").isEqualTo(1);
    }

    private InMemoryJournal journal() {
        return (InMemoryJournal) test.journal();
    }

    private StepState stateOf(String nodeId) {
        return journal().steps(1).stream().filter(s -> s.nodeId().equals(nodeId)).findFirst().orElseThrow().state();
    }

    private static ObjectNode object(String json) {
        return (ObjectNode) Json.read(json);
    }
}
