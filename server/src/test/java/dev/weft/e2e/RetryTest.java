package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import dev.weft.server.ServerConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/task/{id}/retry}: a new task that reuses the finished steps and runs from the failed one. */
class RetryTest {

    static final Duration LIMIT = Duration.ofSeconds(10);
    /** start -> a (counted upstream) -> b (the receiver, which fails at first) -> end. */
    static final String FLOW = """
            {"name": "retry", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {
                 "api": {"type": "string", "required": true}, "hook": {"type": "string", "required": true}}}},
              {"id": "a", "type": "http", "settings": {"url": "{{start.api}}/a"}},
              {"id": "b", "type": "http", "settings": {"url": "{{start.hook}}"}},
              {"id": "end", "type": "end", "settings": {"outputs": {"a": {"type": "string"}, "b": {"type": "integer"}}}}],
             "edges": [
              {"from_node": "start", "to_node": "a", "fields_mapping": [{"from_field": "api", "to_field": "@"}]},
              {"from_node": "a", "to_node": "b", "fields_mapping": [{"from_field": "status", "to_field": "@"}]},
              {"from_node": "a", "to_node": "end", "fields_mapping": [{"from_field": "body.path", "to_field": "a"}]},
              {"from_node": "b", "to_node": "end", "fields_mapping": [{"from_field": "status", "to_field": "b"}]}]}""";

    TestServer weft;
    Upstream upstream;
    Receiver receiver;
    String key;
    long flow;

    @BeforeEach
    void start() {
        weft = TestServer.start(c -> new ServerConfig(c.host(), c.port(), c.dataDir(), c.adminToken(), 1,
                c.nodeThreads(), c.maxBodyBytes(), c.allowPrivateHttp(), c.waitMax(), c.http()));
        upstream = new Upstream();
        receiver = new Receiver();
        key = weft.newKeyAuth("retry");
        flow = weft.publishFlow(FLOW);
    }

    @AfterEach
    void stop() {
        weft.close();
        upstream.close();
        receiver.close();
    }

    private JsonNode failedTask(String prefix) {
        receiver.answer(200, 500);
        TestServer.Answer answer = weft.post("/api/v1/scade/flow/" + flow + "/execute?wait=10",
                "{\"node_settings\": {\"start\": {\"data\": {\"api\": \"" + upstream.base() + prefix + "\", \"hook\": \""
                        + receiver.url() + "\"}}}}", key);
        assertThat(answer.json().path("status").asInt()).isEqualTo(4);
        assertThat(answer.json().path("error").path("node_id").asText()).isEqualTo("b");
        return answer.json();
    }

    private static Map<String, JsonNode> steps(TestServer weft, long id, String key) {
        Map<String, JsonNode> byNode = new HashMap<>();
        for (JsonNode step : weft.get("/api/v1/task/" + id + "/steps", key).json().path("steps")) {
            byNode.put(step.path("node_id").asText(), step);
        }
        return byNode;
    }

    @Test
    void a_retry_runs_from_the_failed_step_without_running_finished_steps_again() {
        JsonNode failed = failedTask("/once");
        long id = failed.path("id").asLong();
        assertThat(upstream.calls("/once/a")).isEqualTo(1);
        assertThat(receiver.calls()).hasSize(1);

        TestServer.Answer retried = weft.post("/api/v1/task/" + id + "/retry?wait=10", null, key);
        assertThat(retried.status()).isEqualTo(200);
        JsonNode task = retried.json();
        assertThat(task.path("id").asLong()).isNotEqualTo(id);
        assertThat(task.path("retry_of").asLong()).isEqualTo(id);
        assertThat(task.path("reused_steps")).extracting(JsonNode::asText).containsExactlyInAnyOrder("start", "a");
        assertThat(task.path("status").asInt()).isEqualTo(3);
        assertThat(task.path("flow_version").asInt()).isEqualTo(failed.path("flow_version").asInt());
        assertThat(task.path("result").path("a").asText()).isEqualTo("/once/a");
        assertThat(task.path("result").path("b").asInt()).isEqualTo(200);

        assertThat(upstream.calls("/once/a")).as("the finished step a is not run again").isEqualTo(1);
        assertThat(receiver.calls()).as("the failed step b runs again").hasSize(2);
        Map<String, JsonNode> steps = steps(weft, task.path("id").asLong(), key);
        assertThat(steps.get("a").path("outputs")).isEqualTo(steps(weft, id, key).get("a").path("outputs"));
        assertThat(steps.get("b").path("state").asText()).isEqualTo("done");
        assertThat(weft.get("/api/v1/task/" + id, key).json().path("status").asInt()).as("the failed task stays")
                .isEqualTo(4);
    }

    @Test
    void a_retry_that_waits_in_the_queue_still_reuses_the_finished_steps() throws Exception {
        long id = failedTask("/queued").path("id").asLong();
        upstream.holdCallsTo("/busy/a");
        long busy = weft.post("/api/v1/scade/flow/" + flow + "/execute", "{\"node_settings\": {\"start\": {\"data\": "
                + "{\"api\": \"" + upstream.base() + "/busy\", \"hook\": \"" + receiver.url() + "\"}}}}", key)
                .json().path("id").asLong();
        upstream.awaitCalls("/busy/a", 1, LIMIT);

        JsonNode retried = weft.post("/api/v1/task/" + id + "/retry", null, key).json();
        assertThat(retried.path("state").asText()).isEqualTo("queued");
        upstream.release();
        weft.awaitTask(busy, key, LIMIT);
        assertThat(weft.awaitTask(retried.path("id").asLong(), key, LIMIT).path("status").asInt()).isEqualTo(3);
        assertThat(upstream.calls("/queued/a")).isEqualTo(1);
    }

    @Test
    void only_failed_or_cancelled_tasks_can_be_retried() {
        receiver.answer(200);
        JsonNode completed = weft.post("/api/v1/scade/flow/" + flow + "/execute?wait=10", "{\"node_settings\": "
                + "{\"start\": {\"data\": {\"api\": \"" + upstream.base() + "\", \"hook\": \"" + receiver.url()
                + "\"}}}}", key).json();
        assertThat(completed.path("status").asInt()).isEqualTo(3);
        TestServer.Answer refused = weft.post("/api/v1/task/" + completed.path("id").asLong() + "/retry", null, key);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("type").asText()).isEqualTo("/problems/task-not-retryable");
        assertThat(weft.post("/api/v1/task/424242/retry", null, key).status()).isEqualTo(404);
    }
}
