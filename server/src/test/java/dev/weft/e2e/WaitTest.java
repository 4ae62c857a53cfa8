package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code ?wait=N} on execute and on the task: 200 with the result when the task ends in time, else 202. */
class WaitTest {

    static final String FLOW = """
            {"name": "slow", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {"api": {"type": "string", "required": true}}}},
              {"id": "call", "type": "http", "settings": {"url": "{{start.api}}/slow"}},
              {"id": "end", "type": "end", "settings": {"outputs": {"path": {"type": "string"}}}}],
             "edges": [
              {"from_node": "start", "to_node": "call", "fields_mapping": [{"from_field": "api", "to_field": "@"}]},
              {"from_node": "call", "to_node": "end", "fields_mapping": [{"from_field": "body.path", "to_field": "path"}]}]}""";

    static TestServer weft;
    static Upstream upstream;
    static String key;
    static long flow;
    static long hello;

    @BeforeAll
    static void start() {
        weft = TestServer.start();
        upstream = new Upstream();
        key = weft.newKeyAuth("wait");
        flow = weft.publishFlow(FLOW);
        hello = weft.publishFlow(TestServer.example("hello.json"));
    }

    @AfterAll
    static void stop() {
        weft.close();
        upstream.close();
    }

    private String body() {
        return "{\"node_settings\": {\"start\": {\"data\": {\"api\": \"" + upstream.base() + "\"}}}}";
    }

    @Test
    void execute_with_wait_answers_200_with_the_result_when_the_task_ends_in_time() {
        TestServer.Answer answer = weft.post("/api/v1/scade/flow/" + hello + "/execute?wait=10",
                "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Ada\"}}}}", key);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("status").asInt()).isEqualTo(3);
        assertThat(answer.json().path("result").path("greeting").asText()).isEqualTo("Hello, Ada!");
    }

    @Test
    void a_wait_that_runs_out_answers_202_and_the_task_finishes_later() throws Exception {
        upstream.holdCallsTo("/slow");
        TestServer.Answer accepted = weft.post("/api/v1/scade/flow/" + flow + "/execute?wait=0.2", body(), key);
        assertThat(accepted.status()).isEqualTo(202);
        JsonNode task = accepted.json();
        assertThat(task.path("status").asInt()).isIn(1, 2);
        long id = task.path("id").asLong();
        upstream.awaitCalls("/slow", 1, Duration.ofSeconds(10));

        TestServer.Answer stillRunning = weft.get("/api/v1/task/" + id + "?wait=0.1", key);
        assertThat(stillRunning.status()).isEqualTo(202);
        assertThat(stillRunning.json().path("state").asText()).isEqualTo("running");

        upstream.release();
        TestServer.Answer finished = weft.get("/api/v1/task/" + id + "?wait=10", key);
        assertThat(finished.status()).isEqualTo(200);
        assertThat(finished.json().path("status").asInt()).isEqualTo(3);
        assertThat(finished.json().path("result").path("path").asText()).isEqualTo("/slow");
    }

    @Test
    void a_wait_that_is_not_a_number_of_seconds_is_refused() {
        TestServer.Answer answer = weft.post("/api/v1/scade/flow/" + hello + "/execute?wait=soon",
                "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Ada\"}}}}", key);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("errors").get(0).path("field").asText()).isEqualTo("wait");
    }
}
