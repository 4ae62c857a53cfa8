package dev.weft.builtin;

import static dev.weft.builtin.Calls.problems;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.engine.Graph;
import dev.weft.engine.TaskRequest;
import dev.weft.engine.testing.TestEngine;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowValidator;
import dev.weft.json.Json;
import dev.weft.registry.NodeRegistry;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** subflow runs published flows as child tasks, linked to their parent, nested at most FlowRuns.DEPTH_MAX deep. */
class SubflowNodeTest {

    private final TestEngine engine = TestEngine.direct();
    private final FakePublishedFlows published = new FakePublishedFlows();
    private final FlowRuns runs = new FlowRuns(published, engine.nodes(), Runnable::run, engine.timer(), engine.clock());
    private final NodeRegistry registry = BuiltinNodes.registry(BuiltinNodes.Services.of(HttpNode.Options.DEFAULT)
            .withRuns(runs, engine.timer(), engine.clock()));

    {
        published.use(engine.engine(), registry);
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    /** Greets {{start.name}}; with a wait of {@code waitMs} first when positive. */
    private static String greeter(long waitMs, long timeoutMs) {
        return """
                {"name": "greet", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"name": {"type": "string", "required": true}}}},
                  {"id": "wait", "type": "delay", "timeout_ms": TIMEOUT, "settings": {"duration_ms": WAIT}},
                  {"id": "hello", "type": "template", "settings": {"template": "Hello {{start.name}}"}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"greeting": {"type": "string"}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "wait", "fields_mapping": [{"from_field": "name", "to_field": "name"}]},
                  {"from_node": "wait", "to_node": "hello", "fields_mapping": [{"from_field": "name", "to_field": "name"}]},
                  {"from_node": "hello", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "greeting"}]}]}
                """.replace("TIMEOUT", String.valueOf(timeoutMs)).replace("WAIT", String.valueOf(waitMs));
    }

    /** Calls flow {@code flowId} with its name, and returns the child's greeting and task id. */
    private static String caller(long flowId) {
        return """
                {"name": "caller", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"name": {"type": "string"}}}},
                  {"id": "call", "type": "subflow", "timeout_ms": 3600000, "settings": {"flow_id": FLOW, "inputs": {"name": "{{start.name}}"}}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"greeting": {"type": "string"}, "task_id": {"type": "integer"}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "call", "fields_mapping": [{"from_field": "name", "to_field": "name"}]},
                  {"from_node": "call", "to_node": "end", "fields_mapping": [{"from_field": "greeting", "to_field": "greeting"},
                     {"from_field": "task_id", "to_field": "task_id"}]}]}
                """.replace("FLOW", String.valueOf(flowId));
    }

    private CompletableFuture<TaskOutcome> start(String document, String name) {
        Flow flow = new FlowValidator(registry).check(Json.read(document));
        Graph graph = Graph.compile(flow, registry, "start", "end", "end");
        JsonNode data = Json.read("{\"data\": {\"name\": \"" + name + "\"}}");
        return engine.start(new TaskRequest(1, graph, Map.of("start", data), List.of()));
    }

    @Test
    void a_subflow_runs_the_published_flow_as_a_linked_child_task_and_emits_its_result() throws Exception {
        published.publish(2, greeter(0, 1000));

        TaskOutcome outcome = start(caller(2), "Ada").get();

        assertThat(outcome.result().get("greeting").asText()).isEqualTo("Hello Ada");
        assertThat(outcome.result().get("task_id").asLong()).isEqualTo(100);
        assertThat(published.children).containsExactly(new FakePublishedFlows.Child(100, 1, 1, 2, 1,
                Calls.json("{'name': 'Ada'}")));
    }

    @Test
    void a_number_passed_as_text_reaches_the_child_flow_as_a_number() throws Exception {
        published.publish(6, """
                {"name": "double", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"n": {"type": "integer", "required": true}}}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"n": {"type": "integer"}}}}],
                 "edges": [{"from_node": "start", "to_node": "end", "fields_mapping": [{"from_field": "n", "to_field": "n"}]}]}""");
        String parent = """
                {"name": "caller", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"name": {"type": "string"}}}},
                  {"id": "call", "type": "subflow", "settings": {"flow_id": 6, "inputs": {"n": "{{start.name}}"}}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"n": {"type": "integer"}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "call", "fields_mapping": [{"from_field": "name", "to_field": "name"}]},
                  {"from_node": "call", "to_node": "end", "fields_mapping": [{"from_field": "n", "to_field": "n"}]}]}""";

        TaskOutcome outcome = start(parent, "5").get();

        assertThat(outcome.state()).as(String.valueOf(outcome.error())).isEqualTo(TaskState.COMPLETED);
        assertThat(published.children.get(0).startData().get("n").isIntegralNumber()).isTrue();
        assertThat(outcome.result().get("n").asInt()).isEqualTo(5);
    }

    @Test
    void subflows_nest_three_levels_deep_each_child_linked_to_its_parent() throws Exception {
        published.publish(2, greeter(0, 1000));
        published.publish(3, caller(2));
        published.publish(4, caller(3));

        TaskOutcome outcome = start(caller(4), "Grace").get();

        assertThat(outcome.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(outcome.result().get("greeting").asText()).isEqualTo("Hello Grace");
        assertThat(published.children).extracting(c -> List.of(c.taskId(), c.parentTaskId(), (long) c.depth(), c.flowId()))
                .containsExactly(List.of(100L, 1L, 1L, 4L), List.of(101L, 100L, 2L, 3L), List.of(102L, 101L, 3L, 2L));
    }

    @Test
    void a_flow_calling_itself_is_stopped_by_the_depth_limit() throws Exception {
        published.publish(5, caller(5));

        TaskOutcome outcome = start(caller(5), "Loop").get();

        assertThat(outcome.state()).isEqualTo(TaskState.FAILED);
        assertThat(outcome.error().type()).isEqualTo(FlowRuns.TOO_DEEP);
        assertThat(outcome.error().message()).contains("sub-flows nest 10 deep at most");
        assertThat(published.children).hasSize(FlowRuns.DEPTH_MAX);
        assertThat(published.children.get(FlowRuns.DEPTH_MAX - 1).depth()).isEqualTo(FlowRuns.DEPTH_MAX);
    }

    @Test
    void a_failed_child_fails_the_step_with_the_childs_error() throws Exception {
        published.publish(2, greeter(5000, 1000));   // its delay is longer than its own timeout allows

        TaskOutcome outcome = start(caller(2), "Ada").get();

        assertThat(outcome.state()).isEqualTo(TaskState.FAILED);
        assertThat(outcome.error().type()).isEqualTo("settings");
        assertThat(outcome.error().nodeId()).isEqualTo("call");
        assertThat(outcome.error().message()).startsWith("child task 100 failed at node wait: settings.duration_ms:");
    }

    @Test
    void cancelling_the_parent_cancels_the_child() throws Exception {
        published.publish(2, greeter(600_000, 3_600_000));
        CompletableFuture<TaskOutcome> parent = start(caller(2), "Ada");
        assertThat(engine.engine().isRunning(100)).isTrue();

        engine.engine().cancel(1);

        assertThat(parent.get().state()).isEqualTo(TaskState.CANCELLED);
        assertThat(published.cancelled).containsExactly(100L);
        assertThat(engine.engine().isRunning(100)).isFalse();
        assertThat(engine.timer().pending()).isZero();   // the child's delay is gone too
        engine.timer().advance(Duration.ofHours(1));
    }

    @Test
    void an_unknown_flow_fails_the_step_without_a_child() throws Exception {
        TaskOutcome outcome = start(caller(9), "Ada").get();

        assertThat(outcome.error().type()).isEqualTo(FlowRuns.NOT_FOUND);
        assertThat(published.children).isEmpty();
    }

    @Test
    void inputs_that_do_not_fit_the_child_start_node_fail_naming_the_setting() throws Exception {
        published.publish(2, greeter(0, 1000));

        TaskOutcome outcome = start(caller(2).replace("{\"name\": \"{{start.name}}\"}", "{\"nom\": \"{{start.name}}\"}"), "Ada").get();

        assertThat(outcome.error().type()).isEqualTo("settings");
        assertThat(outcome.error().message()).isEqualTo("settings.inputs: do not fit the start node 'start': nom: is"
                + " not an input of this start node (inputs: name); name: is required (string)");
    }

    @Test
    void subflow_settings_problems_are_named_by_path() {
        SubflowNode subflow = new SubflowNode(runs);
        assertThat(problems(subflow, "{}")).containsExactly("flow_id: is required");
        assertThat(problems(subflow, "{'flow_id': 'two'}")).containsExactly("flow_id: must be a whole number (got text)");
        assertThat(problems(subflow, "{'flow_id': 2, 'version': 'newest'}"))
                .containsExactly("version: must be a whole number or \"latest\" (got text)");
        assertThat(problems(subflow, "{'flow_id': 2, 'inputs': [1]}")).containsExactly("inputs: must be an object (got an array)");
        assertThat(problems(subflow, "{'flow_id': 2, 'version': 'latest', 'inputs': {'name': '{{start.name}}'}}")).isEmpty();
    }
}
