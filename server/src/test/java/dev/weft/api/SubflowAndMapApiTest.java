package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * subflow, map and delay through the Scade-compatible run API on a real server: child tasks are real tasks linked
 * to their parent and visible through {@code GET /api/v1/task/{id}}, and a flow mixing the three runs end to end.
 */
class SubflowAndMapApiTest {

    static final Duration LIMIT = Duration.ofSeconds(20);
    static TestServer server;
    static String key;
    static long hello;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        key = server.newKeyAuth("tests");
        hello = server.publishFlow(TestServer.example("hello.json"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** examples/subflow.json, calling flow {@code flowId}. */
    private static String caller(long flowId) {
        return TestServer.example("subflow.json").replace("\"flow_id\": 1,", "\"flow_id\": " + flowId + ",");
    }

    private static long execute(long flowId, String data) {
        TestServer.Answer answer = server.post("/api/v1/scade/flow/" + flowId + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": " + data + "}}}", key);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.json().path("id").asLong();
    }

    private static JsonNode task(long id) {
        TestServer.Answer answer = server.get("/api/v1/task/" + id, key);
        assertThat(answer.status()).isEqualTo(200);
        return answer.json();
    }

    private static JsonNode step(long taskId, String nodeId) {
        for (JsonNode step : server.get("/api/v1/task/" + taskId + "/steps", key).json().path("steps")) {
            if (step.path("node_id").asText().equals(nodeId)) return step;
        }
        throw new AssertionError("task " + taskId + " has no step " + nodeId);
    }

    @Test
    void a_subflow_runs_its_flow_as_a_child_task_that_links_back_to_the_parent() {
        long caller = server.publishFlow(caller(hello));

        long parent = execute(caller, "{\"name\": \"Ada\"}");
        JsonNode done = server.awaitTask(parent, key, LIMIT);

        assertThat(done.path("status").asInt()).as(done.toString()).isEqualTo(3);
        assertThat(done.path("result").path("greeting").asText()).isEqualTo("Hello, Ada!");
        assertThat(done.has("parent_task_id")).isFalse();
        long child = done.path("result").path("child_task_id").asLong();
        assertThat(step(parent, "greet").path("outputs").path("task_id").asLong()).isEqualTo(child);
        JsonNode childTask = task(child);
        assertThat(childTask.path("parent_task_id").asLong()).isEqualTo(parent);
        assertThat(childTask.path("flow_id").asLong()).isEqualTo(hello);
        assertThat(childTask.path("status").asInt()).isEqualTo(3);
        assertThat(childTask.path("result")).isEqualTo(Json.read("{\"greeting\": \"Hello, Ada!\"}"));
    }

    @Test
    void subflows_nest_three_levels_deep_each_child_linked_to_its_parent() {
        long one = server.publishFlow(caller(hello));
        long two = server.publishFlow(caller(one));
        long three = server.publishFlow(caller(two));

        long top = execute(three, "{\"name\": \"Grace\"}");
        JsonNode done = server.awaitTask(top, key, LIMIT);

        assertThat(done.path("result").path("greeting").asText()).as(done.toString()).isEqualTo("Hello, Grace!");
        long parent = top;
        long child = done.path("result").path("child_task_id").asLong();
        for (long flow : List.of(two, one, hello)) {
            JsonNode task = task(child);
            assertThat(task.path("flow_id").asLong()).isEqualTo(flow);
            assertThat(task.path("parent_task_id").asLong()).isEqualTo(parent);
            parent = child;
            child = task.path("result").path("child_task_id").asLong();
        }
    }

    @Test
    void a_flow_calling_itself_fails_at_the_depth_limit() {
        TestServer.Answer created = server.post("/api/v1/flows", TestServer.example("hello.json"), TestServer.ADMIN_AUTH);
        long self = created.json().path("id").asLong();
        assertThat(server.send("PUT", "/api/v1/flows/" + self, caller(self), "application/json", TestServer.ADMIN_AUTH)
                .status()).isEqualTo(200);
        assertThat(server.post("/api/v1/flows/" + self + "/publish", null, TestServer.ADMIN_AUTH).status()).isEqualTo(201);

        JsonNode done = server.awaitTask(execute(self, "{\"name\": \"Loop\"}"), key, LIMIT);

        assertThat(done.path("status").asInt()).isEqualTo(4);
        assertThat(done.path("error").path("type").asText()).isEqualTo("depth_limit");
        assertThat(done.path("error").path("message").asText()).contains("sub-flows nest 10 deep at most");
    }

    /** map over names, each item calling the hello flow as a subflow, then a short delay. */
    private static String mixed(long greeter) {
        return """
                {"name": "mixed", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"names": {"type": "array", "required": true}}}},
                  {"id": "each", "type": "map", "timeout_ms": 60000, "settings": {"concurrency": 2, "flow": {
                    "name": "one", "nodes": [
                      {"id": "start", "type": "start", "settings": {"inputs": {"item": {"type": "string"}}}},
                      {"id": "call", "type": "subflow", "settings": {"flow_id": GREETER, "inputs": {"name": "{{start.item}}"}}},
                      {"id": "end", "type": "end", "settings": {"outputs": {"greeting": {"type": "string"}, "task_id": {"type": "integer"}}}}],
                    "edges": [
                      {"from_node": "start", "to_node": "call", "fields_mapping": [{"from_field": "item", "to_field": "item"}]},
                      {"from_node": "call", "to_node": "end", "fields_mapping": [{"from_field": "greeting", "to_field": "greeting"},
                        {"from_field": "task_id", "to_field": "task_id"}]}]}}},
                  {"id": "pause", "type": "delay", "settings": {"duration_ms": 20}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"results": {"type": "array"}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "each", "fields_mapping": [{"from_field": "names", "to_field": "items"}]},
                  {"from_node": "each", "to_node": "pause", "fields_mapping": [{"from_field": "results", "to_field": "results"}]},
                  {"from_node": "pause", "to_node": "end", "fields_mapping": [{"from_field": "results", "to_field": "results"}]}]}
                """.replace("GREETER", String.valueOf(greeter));
    }

    @Test
    void a_flow_mixing_map_subflow_and_delay_runs_end_to_end() {
        long mixed = server.publishFlow(mixed(hello));

        long top = execute(mixed, "{\"names\": [\"Ada\", \"Grace\", \"Linus\", \"Barbara\"]}");
        JsonNode done = server.awaitTask(top, key, LIMIT);

        assertThat(done.path("status").asInt()).as(done.toString()).isEqualTo(3);
        JsonNode results = done.path("result").path("results");
        assertThat(results).extracting(r -> r.path("greeting").asText())
                .containsExactly("Hello, Ada!", "Hello, Grace!", "Hello, Linus!", "Hello, Barbara!");
        for (JsonNode result : results) {   // the items ran in memory; the subflows they called are tasks of the top one
            assertThat(task(result.path("task_id").asLong()).path("parent_task_id").asLong()).isEqualTo(top);
        }
        assertThat(step(top, "each").path("state").asText()).isEqualTo("done");
        assertThat(step(top, "pause").path("outputs").path("waited_ms").asInt()).isEqualTo(20);
    }

    @Test
    void cancelling_the_parent_cancels_its_child_task() throws Exception {
        long slow = server.publishFlow("""
                {"name": "slow", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"name": {"type": "string"}}}},
                  {"id": "wait", "type": "delay", "timeout_ms": 3600000, "settings": {"duration_ms": 600000}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"name": {"type": "string"}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "wait", "fields_mapping": [{"from_field": "name", "to_field": "name"}]},
                  {"from_node": "wait", "to_node": "end", "fields_mapping": [{"from_field": "name", "to_field": "name"}]}]}
                """);
        long parent = execute(server.publishFlow(caller(slow)), "{\"name\": \"Ada\"}");
        long child = awaitChild(slow);

        TestServer.Answer cancelled = server.post("/api/v1/task/" + parent + "/cancel", null, key);

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().path("status").asInt()).isEqualTo(5);
        JsonNode childTask = task(child);
        assertThat(childTask.path("parent_task_id").asLong()).isEqualTo(parent);
        assertThat(childTask.path("status").asInt()).isEqualTo(5);
    }

    /** The running task of flow {@code flowId}, as a client listing tasks would find it. */
    private static long awaitChild(long flowId) {
        return Polls.until("a running child task of flow " + flowId, LIMIT, Duration.ofMillis(5),
                () -> server.get("/api/v1/tasks?flow_id=" + flowId + "&state=running", TestServer.ADMIN_AUTH).json()
                        .path("tasks"), tasks -> tasks.size() > 0).get(0).path("id").asLong();
    }
}
