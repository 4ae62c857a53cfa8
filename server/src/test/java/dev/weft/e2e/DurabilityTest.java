package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.Polls;
import dev.weft.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Weft is killed with SIGKILL while steps are running and tasks are queued, then started again on the same data
 * folder: every accepted task completes, finished steps are not run again, and only the steps that were in flight
 * call the service a second time.
 */
class DurabilityTest {

    static final String ADMIN = "durability-admin";
    static final int TASKS = 20;
    static final int SLOTS = 5;

    static final String FLOW = """
            {"name": "two calls", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {
                 "n": {"type": "integer", "required": true}, "api": {"type": "string", "required": true}}}},
              {"id": "first", "type": "http", "settings": {"url": "{{start.api}}/first?n={{start.n}}"}},
              {"id": "second", "type": "http", "settings": {"url": "{{start.api}}/second?n={{start.n}}"}},
              {"id": "end", "type": "end", "settings": {"outputs": {"first": {"type": "string"}, "second": {"type": "string"}}}}],
             "edges": [
              {"from_node": "start", "to_node": "first", "fields_mapping": [{"from_field": "n", "to_field": "@"}]},
              {"from_node": "first", "to_node": "second", "fields_mapping": [{"from_field": "status", "to_field": "@"}]},
              {"from_node": "first", "to_node": "end", "fields_mapping": [{"from_field": "body.query", "to_field": "first"}]},
              {"from_node": "second", "to_node": "end", "fields_mapping": [{"from_field": "body.query", "to_field": "second"}]}]}""";

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void tasks_survive_a_kill_and_finished_steps_are_not_run_again() throws Exception {
        Path data = Files.createTempDirectory("weft-durability");
        List<Long> ids = new ArrayList<>();
        try (Upstream upstream = new Upstream()) {
            upstream.holdCallsTo("/second");
            WeftProcess weft = WeftProcess.start(data, ADMIN, Map.of("WEFT_WORKER_SLOTS", String.valueOf(SLOTS)));
            long flowId;
            String key;
            try {
                JsonNode flow = call(weft.base(), "POST", "/api/v1/flows", FLOW, "Bearer " + ADMIN);
                flowId = flow.path("id").asLong();
                call(weft.base(), "POST", "/api/v1/flows/" + flowId + "/publish", "", "Bearer " + ADMIN);
                key = "Basic " + call(weft.base(), "POST", "/api/v1/keys", "{\"name\": \"d\"}", "Bearer " + ADMIN)
                        .path("key").asText();
                for (int n = 0; n < TASKS; n++) {
                    String body = "{\"node_settings\": {\"start\": {\"data\": {\"n\": " + n + ", \"api\": \""
                            + upstream.base() + "\"}}}}";
                    ids.add(call(weft.base(), "POST", "/api/v1/scade/flow/" + flowId + "/execute", body, key)
                            .path("id").asLong());
                }
                // SLOTS tasks are now blocked in their second step; the others wait in the queue.
                upstream.awaitCalls("/second", SLOTS, Duration.ofSeconds(30));
            } finally {
                weft.kill();
            }
            assertThat(upstream.calls("/first")).isEqualTo(SLOTS);
            upstream.release();

            try (WeftProcess again = WeftProcess.start(data, ADMIN, Map.of())) {
                for (int n = 0; n < TASKS; n++) {
                    JsonNode task = awaitDone(again.base(), ids.get(n), key);
                    assertThat(task.path("status").asInt()).as("task %s", task).isEqualTo(3);
                    assertThat(task.path("result")).isEqualTo(Json.read(
                            "{\"first\": \"n=" + n + "\", \"second\": \"n=" + n + "\"}"));
                }
            }
            for (int n = 0; n < TASKS; n++) {
                assertThat(upstream.calls("/first", "n=" + n)).as("first step of task n=%d", n).isEqualTo(1);
            }
            // The steps in flight at the kill ran twice; every other second step ran once.
            assertThat(upstream.calls("/second")).isEqualTo(TASKS + SLOTS);
        }
    }

    static final String FAN_OUT = """
            {"name": "fan-out", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {
                 "n": {"type": "integer", "required": true}, "api": {"type": "string", "required": true}}}},
              {"id": "a", "type": "http", "settings": {"url": "{{start.api}}/a?n={{start.n}}"}},
              {"id": "b", "type": "http", "settings": {"url": "{{start.api}}/b?n={{start.n}}"}},
              {"id": "end", "type": "end", "settings": {"outputs": {"a": {"type": "string"}, "b": {"type": "string"}}}}],
             "edges": [
              {"from_node": "start", "to_node": "a", "fields_mapping": [{"from_field": "n", "to_field": "@"}]},
              {"from_node": "start", "to_node": "b", "fields_mapping": [{"from_field": "n", "to_field": "@"}]},
              {"from_node": "a", "to_node": "end", "fields_mapping": [{"from_field": "body.query", "to_field": "a"}]},
              {"from_node": "b", "to_node": "end", "fields_mapping": [{"from_field": "body.query", "to_field": "b"}]}]}""";

    /**
     * The last answer of a fan-out and the end are recorded with the task's outcome, in one commit: a task answered
     * through {@code ?wait} keeps its outcome and every step when the process is killed just after the answer.
     */
    @Test
    void a_task_answered_through_wait_keeps_its_outcome_and_every_step_after_a_kill() throws Exception {
        Path data = Files.createTempDirectory("weft-durability-last");
        Map<Long, Integer> answered = new java.util.LinkedHashMap<>();
        String key;
        try (Upstream upstream = new Upstream()) {
            WeftProcess weft = WeftProcess.start(data, ADMIN, Map.of());
            try {
                long flowId = call(weft.base(), "POST", "/api/v1/flows", FAN_OUT, "Bearer " + ADMIN).path("id").asLong();
                call(weft.base(), "POST", "/api/v1/flows/" + flowId + "/publish", "", "Bearer " + ADMIN);
                key = "Basic " + call(weft.base(), "POST", "/api/v1/keys", "{\"name\": \"d\"}", "Bearer " + ADMIN)
                        .path("key").asText();
                for (int n = 0; n < 5; n++) {
                    String body = "{\"node_settings\": {\"start\": {\"data\": {\"n\": " + n + ", \"api\": \""
                            + upstream.base() + "\"}}}}";
                    JsonNode task = call(weft.base(), "POST", "/api/v1/scade/flow/" + flowId + "/execute?wait=20", body,
                            key);
                    assertThat(task.path("status").asInt()).as("answered finished: %s", task).isEqualTo(3);
                    answered.put(task.path("id").asLong(), n);
                }
            } finally {
                weft.kill();   // at once after the last answer
            }
        }
        try (WeftProcess again = WeftProcess.start(data, ADMIN, Map.of())) {
            for (Map.Entry<Long, Integer> task : answered.entrySet()) {
                JsonNode now = call(again.base(), "GET", "/api/v1/task/" + task.getKey(), null, key);
                int n = task.getValue();
                assertThat(now.path("status").asInt()).isEqualTo(3);
                assertThat(now.path("result")).isEqualTo(Json.read("{\"a\": \"n=" + n + "\", \"b\": \"n=" + n + "\"}"));
                JsonNode steps = call(again.base(), "GET", "/api/v1/task/" + task.getKey() + "/steps", null, key)
                        .path("steps");
                List<String> done = new ArrayList<>();
                steps.forEach(step -> {
                    if (step.path("state").asText().equals("done")) done.add(step.path("node_id").asText());
                });
                assertThat(done).as("steps of task n=%d", n).containsExactlyInAnyOrder("start", "a", "b", "end");
            }
        }
    }

    private JsonNode awaitDone(String base, long id, String key) {
        return Polls.until("task " + id + " finished", Duration.ofSeconds(60), Duration.ofMillis(10),
                () -> call(base, "GET", "/api/v1/task/" + id, null, key), task -> task.path("status").asInt() >= 3);
    }

    private JsonNode call(String base, String method, String path, String body, String auth) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && !body.isEmpty()) request.header("Content-Type", "application/json");
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) throw new AssertionError(method + " " + path + ": " + response.body());
        return Json.read(response.body());
    }
}
