package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.TestNodes;
import dev.weft.json.Json;
import dev.weft.registry.NodeRegistry;
import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import dev.weft.task.TaskError;
import dev.weft.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private final NodeRegistry registry = TestNodes.registry(TestNodes.inc(), TestNodes.branch(), TestNodes.counting());
    private final Map<String, Step> steps = new HashMap<>();

    private final Graph chain = Flows.flow().start("start", "n:integer").node("a", "inc").node("b", "inc").end("end", "n")
            .edge("start", "a", "n").edge("a", "b", "n").edge("b", "end", "n").compile(registry);

    /** start -> cond; cond.true -> t1 -> end.out; cond.false -> f1 -> f2 -> end.out (the false edge listed first). */
    private final Graph ifElse = Flows.flow().start("start", "n:integer").node("cond", "branch")
            .node("t1", "count").node("f1", "count").node("f2", "count").end("end", "out")
            .edge("start", "cond", "n").edge("cond", "t1", "true -> x").edge("cond", "f1", "false -> x")
            .edge("f1", "f2", "x").edge("f2", "end", "x -> out").edge("t1", "end", "x -> out").compile(registry);

    @Test
    void start_node_runs_first() {
        Plan plan = plan(chain, NOW);

        assertThat(plan.start()).containsExactly("start");
        assertThat(plan.skip()).isEmpty();
        assertThat(plan.outcome()).isNull();
    }

    @Test
    void chain_runs_one_node_after_another() {
        steps.put("start", done("start", "{\"n\": 0}"));
        assertThat(plan(chain, NOW).start()).containsExactly("a");

        steps.put("a", new Step.Running(1, NOW));
        assertThat(plan(chain, NOW).start()).isEmpty();

        steps.put("a", done("a", "{\"n\": 1}"));
        assertThat(plan(chain, NOW).start()).containsExactly("b");

        steps.put("b", done("b", "{\"n\": 2}"));
        assertThat(plan(chain, NOW).start()).containsExactly("end");
    }

    @Test
    void running_steps_leave_nothing_to_do() {
        steps.put("start", new Step.Running(1, NOW));

        Plan plan = plan(chain, NOW);

        assertThat(plan.start()).isEmpty();
        assertThat(plan.skip()).isEmpty();
        assertThat(plan.wakeAt()).isNull();
        assertThat(plan.outcome()).isNull();
    }

    @Test
    void parallel_branches_both_start_in_one_plan() {
        Graph graph = Flows.flow().start("start", "n:integer").node("a", "inc").node("b", "inc").end("end", "x", "y")
                .edge("start", "a", "n").edge("start", "b", "n").edge("a", "end", "n -> x").edge("b", "end", "n -> y")
                .compile(registry);
        steps.put("start", done("start", "{\"n\": 0}"));

        assertThat(plan(graph, NOW).start()).containsExactlyInAnyOrder("a", "b");

        steps.put("a", done("a", "{\"n\": 1}"));
        steps.put("b", new Step.Running(1, NOW));
        assertThat(plan(graph, NOW).start()).as("end waits for every branch that runs").isEmpty();
    }

    @Test
    void nodes_fed_only_from_the_other_port_are_skipped_and_skipping_propagates() {
        steps.put("start", done("start", "{\"n\": 1}"));
        steps.put("cond", done("cond", "true", "{\"n\": 1}"));

        Plan plan = plan(ifElse, NOW);

        assertThat(plan.start()).containsExactly("t1");
        assertThat(plan.skip()).containsExactly("f1", "f2");
        assertThat(plan.outcome()).isNull();
    }

    @Test
    void end_with_alternative_branches_takes_the_branch_that_ran() {
        steps.put("start", done("start", "{\"n\": 1}"));
        steps.put("cond", done("cond", "true", "{\"n\": 1}"));
        steps.put("t1", done("t1", "{\"x\": \"from t1\"}"));
        steps.put("f1", skipped("f1"));
        steps.put("f2", skipped("f2"));

        Plan plan = plan(ifElse, NOW);

        assertThat(plan.start()).containsExactly("end");
        assertThat(Inputs.gather(ifElse, "end", steps(ifElse))).isEqualTo(Json.read("{\"out\": \"from t1\"}"));
    }

    @Test
    void skipped_end_completes_the_task_with_its_fields_as_nulls() {
        Graph graph = Flows.flow().start("start", "n:integer").node("cond", "branch").end("end", "out", "other")
                .edge("start", "cond", "n").edge("cond", "end", "true.n -> out").compile(registry);
        steps.put("start", done("start", "{\"n\": 0}"));
        steps.put("cond", done("cond", "false", "{\"n\": 0}"));

        Plan plan = plan(graph, NOW);

        assertThat(plan.skip()).containsExactly("end");
        assertThat(plan.outcome().state()).isEqualTo(TaskState.COMPLETED);
        assertThat(plan.outcome().result()).isEqualTo(Json.read("{\"out\": null, \"other\": null}"));
    }

    @Test
    void finished_end_completes_the_task_with_its_output() {
        steps.put("start", done("start", "{\"n\": 0}"));
        steps.put("a", done("a", "{\"n\": 1}"));
        steps.put("b", done("b", "{\"n\": 2}"));
        steps.put("end", done("end", "{\"n\": 2}"));

        Plan plan = plan(chain, NOW);

        assertThat(plan.start()).isEmpty();
        assertThat(plan.outcome().state()).isEqualTo(TaskState.COMPLETED);
        assertThat(plan.outcome().result()).isEqualTo(Json.read("{\"n\": 2}"));
    }

    @Test
    void run_after_edge_makes_a_node_wait_for_its_source() {
        Graph graph = Flows.flow().start("start", "n:integer").node("a", "count").node("b", "inc").end("end", "n")
                .edge("start", "a", "success -> @").edge("start", "b", "n").edge("a", "b", "success -> @")
                .edge("b", "end", "n").compile(registry);
        steps.put("start", done("start", "{\"n\": 0}"));

        assertThat(plan(graph, NOW).start()).containsExactly("a");

        steps.put("a", done("a", "{}"));
        assertThat(plan(graph, NOW).start()).containsExactly("b");
    }

    @Test
    void run_after_edge_from_a_skipped_node_skips_the_target() {
        Graph graph = Flows.flow().start("start", "n:integer").node("cond", "branch").node("a", "count")
                .node("b", "count").end("end", "b")
                .edge("start", "cond", "n").edge("cond", "a", "true -> @").edge("a", "b", "success -> @")
                .edge("start", "b", "n").edge("b", "end", "success -> b").compile(registry);
        steps.put("start", done("start", "{\"n\": 0}"));
        steps.put("cond", done("cond", "false", "{\"n\": 0}"));

        Plan plan = plan(graph, NOW);

        assertThat(plan.skip()).containsExactly("a", "b", "end");
        assertThat(plan.outcome().state()).isEqualTo(TaskState.COMPLETED);
    }

    @Test
    void waiting_retry_yields_its_wake_time_then_starts_when_due() {
        Instant due = NOW.plus(Duration.ofSeconds(5));
        steps.put("start", done("start", "{\"n\": 0}"));
        steps.put("a", new Step.Waiting(2, due));

        Plan waiting = plan(chain, NOW);
        assertThat(waiting.start()).isEmpty();
        assertThat(waiting.wakeAt()).isEqualTo(due);
        assertThat(waiting.outcome()).isNull();

        assertThat(plan(chain, due).start()).containsExactly("a");
    }

    @Test
    void failed_step_yields_a_failed_outcome_with_its_error() {
        TaskError error = new TaskError("flaky", "it broke", "a");
        steps.put("start", done("start", "{\"n\": 0}"));
        steps.put("a", new Step.Finished(new StepRecord("a", "inc", StepState.FAILED, null, null, null, error,
                List.of(), NOW, NOW)));

        Plan plan = plan(chain, NOW);

        assertThat(plan.start()).isEmpty();
        assertThat(plan.outcome().state()).isEqualTo(TaskState.FAILED);
        assertThat(plan.outcome().error()).isEqualTo(error);
    }

    @Test
    void planning_does_not_change_the_steps_it_is_given() {
        steps.put("start", done("start", "true", "{\"n\": 0}"));
        steps.put("cond", done("cond", "false", "{\"n\": 1}"));
        Steps given = steps(ifElse);

        Plan first = Planner.next(ifElse, given, NOW);
        Plan second = Planner.next(ifElse, given, NOW);

        assertThat(first.start()).containsExactly("f1");
        assertThat(first.skip()).containsExactly("t1");
        assertThat(second).isEqualTo(first);
        assertThat(given.ready()).containsExactlyInAnyOrder(ifElse.position("t1"), ifElse.position("f1"));
        assertThat(given.unfinished()).isEqualTo(4);
        for (String id : ifElse.order()) assertThat(given.get(id)).isEqualTo(steps.get(id));
    }

    /** The planner's view of {@link #steps} for {@code graph}. */
    private Steps steps(Graph graph) {
        Steps view = new Steps(graph);
        steps.forEach(view::put);
        return view;
    }

    private Plan plan(Graph graph, Instant now) {
        return Planner.next(graph, steps(graph), now);
    }

    private static Step.Finished done(String id, String json) {
        return done(id, "success", json);
    }

    private static Step.Finished done(String id, String port, String json) {
        return new Step.Finished(new StepRecord(id, "test", StepState.DONE, port, null, (ObjectNode) Json.read(json),
                null, List.of(), NOW, NOW));
    }

    private static Step.Finished skipped(String id) {
        return new Step.Finished(StepRecord.skipped(id, "test", NOW));
    }
}
