package dev.weft.builtin;

import static dev.weft.builtin.Calls.problems;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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

/** map runs a sub-flow per item in memory, a bounded number at a time, keeping the items' order. */
class MapNodeTest {

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

    /** Per item: waits item ms (its step timeout is 100 ms, so an item of 100 or more fails), then echoes it. */
    private static final String WAIT_ITEM = """
            {"name": "item", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {"item": {"type": "integer"}, "index": {"type": "integer"}}}},
              {"id": "wait", "type": "delay", "timeout_ms": 100, "settings": {"duration_ms": "{{start.item}}"}},
              {"id": "end", "type": "end", "settings": {"outputs": {"waited_ms": {"type": "integer"}, "index": {"type": "integer"}}}}],
             "edges": [
              {"from_node": "start", "to_node": "wait", "fields_mapping": [{"from_field": "index", "to_field": "index"}]},
              {"from_node": "wait", "to_node": "end", "fields_mapping": [{"from_field": "waited_ms", "to_field": "waited_ms"},
                 {"from_field": "index", "to_field": "index"}]}]}
            """;

    private static String mapper(String mapSettings) {
        return """
                {"name": "mapper", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"list": {"type": "array"}}}},
                  {"id": "each", "type": "map", "timeout_ms": 3600000, "settings": SETTINGS},
                  {"id": "end", "type": "end", "settings": {"outputs": {"results": {"type": "array"}, "failed": {"type": "integer"}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "each", "fields_mapping": [{"from_field": "list", "to_field": "items"}]},
                  {"from_node": "each", "to_node": "end", "fields_mapping": [{"from_field": "results", "to_field": "results"},
                     {"from_field": "failed", "to_field": "failed"}]}]}
                """.replace("SETTINGS", mapSettings);
    }

    private CompletableFuture<TaskOutcome> start(String document, JsonNode list) {
        Flow flow = new FlowValidator(registry).check(Json.read(document));
        Graph graph = Graph.compile(flow, registry, "start", "end", "end");
        ArrayNode items = list.deepCopy();
        JsonNode data = Json.object().set("data", Json.object().set("list", items));
        return engine.start(new TaskRequest(1, graph, Map.of("start", data), List.of()));
    }

    /** Moves the manual clock a millisecond at a time until the task ends, checking the concurrency on the way. */
    private TaskOutcome finish(CompletableFuture<TaskOutcome> task, int concurrency) throws Exception {
        int peak = 0;
        for (int ms = 0; !task.isDone() && ms < 1_000_000; ms++) {
            peak = Math.max(peak, runs.runningInMemory());
            assertThat(runs.runningInMemory()).isLessThanOrEqualTo(concurrency);
            engine.timer().advance(Duration.ofMillis(1));
        }
        assertThat(peak).isEqualTo(concurrency);
        return task.get();
    }

    @Test
    void a_thousand_items_sixteen_at_a_time_keep_their_order() throws Exception {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (int i = 0; i < 1000; i++) list.add((i * 37) % 50 + 1);   // waits that end out of order
        String settings = "{\"concurrency\": 16, \"flow\": " + WAIT_ITEM + "}";

        TaskOutcome outcome = finish(start(mapper(settings), list), 16);

        assertThat(outcome.state()).as("%s", outcome.error()).isEqualTo(TaskState.COMPLETED);
        JsonNode results = outcome.result().get("results");
        assertThat(results).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(results.get(i).get("index").asInt()).isEqualTo(i);
            assertThat(results.get(i).get("waited_ms").asInt()).isEqualTo(list.get(i).asInt());
        }
        assertThat(outcome.result().get("failed").asInt()).isZero();
        assertThat(runs.runningInMemory()).isZero();   // nothing of the items is left behind
        assertThat(published.children).isEmpty();     // and none became a task
    }

    @Test
    void collect_keeps_going_and_puts_each_failed_items_error_in_its_place() throws Exception {
        String settings = "{\"concurrency\": 2, \"on_item_error\": \"collect\", \"flow\": " + WAIT_ITEM + "}";

        TaskOutcome outcome = finish(start(mapper(settings), Json.read("[5, 500, 7, 600]")), 2);

        assertThat(outcome.state()).isEqualTo(TaskState.COMPLETED);
        JsonNode results = outcome.result().get("results");
        assertThat(results.get(0)).isEqualTo(Json.read("{\"waited_ms\": 5, \"index\": 0}"));
        assertThat(results.get(1).get("error").get("type").asText()).isEqualTo("settings");
        assertThat(results.get(1).get("error").get("node_id").asText()).isEqualTo("wait");
        assertThat(results.get(2)).isEqualTo(Json.read("{\"waited_ms\": 7, \"index\": 2}"));
        assertThat(results.get(3).get("error").get("message").asText()).startsWith("settings.duration_ms: must be less");
        assertThat(outcome.result().get("failed").asInt()).isEqualTo(2);
    }

    @Test
    void fail_fails_the_step_at_the_first_failed_item_and_cancels_the_rest() throws Exception {
        String settings = "{\"concurrency\": 2, \"flow\": " + WAIT_ITEM + "}";

        CompletableFuture<TaskOutcome> task = start(mapper(settings), Json.read("[50, 500, 7, 8]"));
        TaskOutcome outcome = task.get();   // item 1 fails as it starts, while item 0 still waits

        assertThat(outcome.state()).isEqualTo(TaskState.FAILED);
        assertThat(outcome.error().type()).isEqualTo("settings");
        assertThat(outcome.error().nodeId()).isEqualTo("each");
        assertThat(outcome.error().message()).startsWith("item 1 failed at node wait: settings.duration_ms:");
        assertThat(runs.runningInMemory()).isZero();
        assertThat(engine.timer().pending()).isZero();
    }

    @Test
    void a_published_flow_runs_per_item_in_memory_and_an_empty_list_maps_to_nothing() throws Exception {
        published.publish(7, WAIT_ITEM);

        TaskOutcome outcome = finish(start(mapper("{\"flow_id\": 7, \"version\": 1, \"concurrency\": 3}"),
                Json.read("[3, 1, 2]")), 3);
        assertThat(outcome.result().get("results")).isEqualTo(Json.read(
                "[{\"waited_ms\": 3, \"index\": 0}, {\"waited_ms\": 1, \"index\": 1}, {\"waited_ms\": 2, \"index\": 2}]"));
        assertThat(published.children).isEmpty();

        TaskOutcome empty = start(mapper("{\"flow_id\": 7}"), Json.read("[]")).get();
        assertThat(empty.result()).isEqualTo(Json.read("{\"results\": [], \"failed\": 0}"));
    }

    @Test
    void items_may_come_from_a_reference_in_the_settings() throws Exception {
        String settings = "{\"items\": \"{{start.list}}\", \"concurrency\": 1, \"flow\": " + WAIT_ITEM + "}";

        TaskOutcome outcome = finish(start(mapper(settings), Json.read("[2, 1]")), 1);

        assertThat(outcome.result().get("results")).isEqualTo(Json.read(
                "[{\"waited_ms\": 2, \"index\": 0}, {\"waited_ms\": 1, \"index\": 1}]"));
    }

    @Test
    void cancelling_the_task_cancels_the_items_in_flight() throws Exception {
        CompletableFuture<TaskOutcome> task = start(mapper("{\"concurrency\": 4, \"flow\": " + WAIT_ITEM + "}"),
                Json.read("[50, 60, 70, 80, 90]"));
        assertThat(runs.runningInMemory()).isEqualTo(4);

        engine.engine().cancel(1);

        assertThat(task.get().state()).isEqualTo(TaskState.CANCELLED);
        assertThat(runs.runningInMemory()).isZero();
        assertThat(engine.timer().pending()).isZero();
    }

    @Test
    void items_that_are_not_a_list_fail_naming_the_setting() throws Exception {
        Flow flow = new FlowValidator(registry).check(Json.read(mapper("{\"flow\": " + WAIT_ITEM + "}")));
        Graph graph = Graph.compile(flow, registry, "start", "end", "end");
        JsonNode data = Json.read("{\"data\": {\"list\": null}}");
        TaskOutcome outcome = engine.start(new TaskRequest(1, graph, Map.of("start", data), List.of())).get();

        assertThat(outcome.error().type()).isEqualTo("settings");
        assertThat(outcome.error().message()).startsWith("settings.items: must be a list (got null)");
    }

    @Test
    void a_map_nested_in_its_own_item_flow_is_stopped_by_the_depth_limit() throws Exception {
        published.publish(8, mapper("{\"flow_id\": 8, \"item_field\": \"list\"}"));

        TaskOutcome outcome = start(mapper("{\"flow_id\": 8, \"item_field\": \"list\"}"), Json.read("[[[[[[[[[[[[1]]]]]]]]]]]]")).get();

        assertThat(outcome.state()).isEqualTo(TaskState.FAILED);
        assertThat(outcome.error().message()).contains("sub-flows nest 10 deep at most");
    }

    @Test
    void map_settings_problems_are_named_by_path() {
        MapNode map = new MapNode(runs);
        assertThat(problems(map, "{}")).containsExactly("flow_id: is required (or give an inline flow)");
        assertThat(problems(map, "{'flow_id': 1, 'flow': {}}")).contains("flow: give either flow_id or flow, not both");
        assertThat(problems(map, "{'flow_id': 1, 'concurrency': 0, 'on_item_error': 'skip'}")).containsExactly(
                "concurrency: must be at least 1 (got 0)", "on_item_error: must be one of fail, collect (got \"skip\")");
        assertThat(problems(map, "{'flow': " + WAIT_ITEM.replace('"', '\'').replace("\"{{start.item}}\"", "x")
                .replace("'{{start.item}}'", "'{{nowhere.item}}'") + "}"))
                .containsExactly("flow.nodes[1].settings.duration_ms: {{nowhere.item}} refers to 'nowhere', which is neither a"
                        + " node id nor an input field mapped into 'wait'");
        assertThat(problems(map, "{'item_field': 'value', 'flow': " + WAIT_ITEM.replace('"', '\'') + "}"))
                .containsExactly("item_field: the inline flow's start node has no input 'value' (inputs: item, index)");
    }
}
