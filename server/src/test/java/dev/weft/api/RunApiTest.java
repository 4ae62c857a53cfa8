package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RunApiTest {

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

    private static String execute() {
        return "/api/v1/scade/flow/" + hello + "/execute";
    }

    @Test
    void execute_returns_a_task_id_at_once_and_the_poll_ends_with_the_result() {
        TestServer.Answer answer = server.post(execute(),
                "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Ada\"}}}}", key);

        assertThat(answer.status()).isEqualTo(200);
        JsonNode accepted = answer.json();
        assertThat(accepted.path("id").isIntegralNumber()).isTrue();
        assertThat(accepted.path("flow_id").asLong()).isEqualTo(hello);
        assertThat(accepted.path("flow_version").asInt()).isEqualTo(1);

        JsonNode task = server.awaitTask(accepted.path("id").asLong(), key, Duration.ofSeconds(10));
        assertThat(task.path("status").asInt()).isEqualTo(3);
        assertThat(task.path("state").asText()).isEqualTo("completed");
        assertThat(task.path("result")).isEqualTo(Json.read("{\"greeting\": \"Hello, Ada!\"}"));
        assertThat(task.path("error").isNull()).isTrue();
        assertThat(task.path("finished_at").asText()).isNotEmpty();
    }

    @Test
    void a_flow_of_pure_nodes_has_run_when_execute_answers_and_its_record_survives_a_restart() throws Exception {
        java.nio.file.Path data = java.nio.file.Files.createTempDirectory("weft-inline");
        long id;
        String auth;
        try (TestServer first = TestServer.start(c -> c.withDataDir(data))) {
            auth = first.newKeyAuth("inline");
            long flow = first.publishFlow(TestServer.example("hello.json"));
            JsonNode answer = first.post("/api/v1/scade/flow/" + flow + "/execute",
                    "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Ada\"}}}}", auth).json();

            id = answer.path("id").asLong();
            assertThat(answer.path("status").asInt()).as("finished before the answer").isEqualTo(3);
            assertThat(answer.path("result")).isEqualTo(Json.read("{\"greeting\": \"Hello, Ada!\"}"));
            assertThat(answer.path("started_at").asText()).isNotEmpty();
            assertThat(answer.path("finished_at").asText()).isNotEmpty();
            assertThat(first.get("/api/v1/task/" + id, auth).json()).isEqualTo(answer);
        }
        try (TestServer second = TestServer.start(c -> c.withDataDir(data))) {
            JsonNode task = second.get("/api/v1/task/" + id, auth).json();
            assertThat(task.path("status").asInt()).isEqualTo(3);
            assertThat(task.path("result").path("greeting").asText()).isEqualTo("Hello, Ada!");
            JsonNode steps = second.get("/api/v1/task/" + id + "/steps", auth).json().path("steps");
            assertThat(steps).extracting(s -> s.path("node_id").asText()).containsExactly("start", "greet", "end");
            assertThat(steps).extracting(s -> s.path("state").asText()).containsOnly("done");
        }
    }

    @Test
    void a_flow_with_a_step_that_waits_is_answered_before_it_runs_and_finishes_in_the_worker() {
        long flow = server.publishFlow(TestServer.resource("hello-after-delay.json"));
        JsonNode answer = server.post("/api/v1/scade/flow/" + flow + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Bo\"}}}}", key).json();

        assertThat(answer.path("status").asInt()).isIn(1, 2);
        assertThat(answer.path("result").isNull()).isTrue();
        JsonNode task = server.awaitTask(answer.path("id").asLong(), key, Duration.ofSeconds(10));
        assertThat(task.path("result").path("greeting").asText()).isEqualTo("Hello, Bo!");
    }

    @Test
    void explicit_start_end_and_result_node_ids_are_accepted() {
        String body = """
                {"start_node_id": "start", "end_node_id": "end", "result_node_id": "end",
                 "node_settings": {"start": {"data": {"name": "Grace"}}}}""";
        long id = server.post(execute(), body, key).json().path("id").asLong();
        assertThat(server.awaitTask(id, key, Duration.ofSeconds(10)).path("result").path("greeting").asText())
                .isEqualTo("Hello, Grace!");
    }

    @Test
    void steps_show_each_node_with_inputs_outputs_and_attempts() {
        long id = server.post(execute(), "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Lin\"}}}}", key)
                .json().path("id").asLong();
        server.awaitTask(id, key, Duration.ofSeconds(10));

        JsonNode steps = server.get("/api/v1/task/" + id + "/steps", key).json().path("steps");
        assertThat(steps).hasSize(3);
        JsonNode greet = null;
        for (JsonNode step : steps) if (step.path("node_id").asText().equals("greet")) greet = step;
        assertThat(greet).isNotNull();
        assertThat(greet.path("state").asText()).isEqualTo("done");
        assertThat(greet.path("port").asText()).isEqualTo("success");
        assertThat(greet.path("inputs")).isEqualTo(Json.read("{\"name\": \"Lin\"}"));
        assertThat(greet.path("outputs")).isEqualTo(Json.read("{\"text\": \"Hello, Lin!\"}"));
        assertThat(greet.path("attempts")).hasSize(1);
        assertThat(greet.path("duration_ms").isIntegralNumber()).isTrue();
    }

    @Test
    void missing_required_input_is_refused_before_any_task_exists() {
        long before = lastTaskId();
        TestServer.Answer answer = server.post(execute(), "{\"node_settings\": {\"start\": {\"data\": {}}}}", key);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json()).isEqualTo(Json.read("""
                {"type": "/problems/invalid-input", "title": "Invalid input", "status": 400,
                 "detail": "the run's inputs are invalid",
                 "errors": [{"field": "node_settings.start.data.name", "message": "is required (string)"}]}"""));
        assertThat(lastTaskId()).as("no task was created in between").isEqualTo(before + 1);
    }

    @Test
    void input_of_the_wrong_type_names_the_field() {
        TestServer.Answer answer = server.post(execute(),
                "{\"node_settings\": {\"start\": {\"data\": {\"name\": 42}}}}", key);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("errors").get(0).path("field").asText()).isEqualTo("node_settings.start.data.name");
        assertThat(answer.json().path("errors").get(0).path("message").asText()).isEqualTo("must be a string (got an integer)");
    }

    @Test
    void unknown_node_in_node_settings_is_refused() {
        TestServer.Answer answer = server.post(execute(),
                "{\"node_settings\": {\"nope\": {\"data\": {}}, \"start\": {\"data\": {\"name\": \"x\"}}}}", key);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("errors").get(0)).isEqualTo(Json.read(
                "{\"field\": \"node_settings.nope\", \"message\": \"no node has id 'nope' in this flow\"}"));
    }

    @Test
    void unknown_start_node_id_is_refused_naming_the_field() {
        TestServer.Answer answer = server.post(execute(), "{\"start_node_id\": \"zzzz-start\"}", key);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("errors").get(0).path("field").asText()).isEqualTo("start_node_id");
    }

    @Test
    void malformed_json_is_a_400_with_its_position() {
        TestServer.Answer answer = server.post(execute(), "{\"node_settings\": ", key);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("type").asText()).isEqualTo("/problems/malformed-json");
        assertThat(answer.json().path("detail").asText()).startsWith("the body is not valid JSON at line 1");
    }

    @Test
    void an_unclosed_array_is_named_without_the_parser_s_internals() {
        TestServer.Answer answer = server.post(execute(), "{\"node_settings\": [", key);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("detail").asText())
                .startsWith("the body is not valid JSON at line 1, column 20: Unexpected end-of-input")
                .doesNotContain("Source:", "StreamReadFeature");
    }

    @Test
    void a_body_that_is_not_json_is_a_415() {
        TestServer.Answer answer = server.send("POST", execute(), "name=Ada", "application/x-www-form-urlencoded", key);
        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.json().path("type").asText()).isEqualTo("/problems/unsupported-media-type");
    }

    @Test
    void unknown_flow_is_a_404_and_a_draft_only_flow_a_409() {
        TestServer.Answer missing = server.post("/api/v1/scade/flow/999999/execute", "{}", key);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("detail").asText()).isEqualTo("flow 999999 does not exist");

        long draft = server.post("/api/v1/flows", TestServer.example("hello.json"), TestServer.ADMIN_AUTH)
                .json().path("id").asLong();
        TestServer.Answer unpublished = server.post("/api/v1/scade/flow/" + draft + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"x\"}}}}", key);
        assertThat(unpublished.status()).isEqualTo(409);
        assertThat(unpublished.json().path("type").asText()).isEqualTo("/problems/flow-not-published");
    }

    @Test
    void missing_garbled_unknown_and_revoked_keys_are_401() {
        assertThat(server.post(execute(), "{}", null).json()).isEqualTo(Json.read("""
                {"type": "/problems/unauthorized", "title": "Missing or invalid credentials", "status": 401,
                 "detail": "send the server key as 'Authorization: Basic <key>'",
                 "errors": [{"field": "Authorization", "message": "send the server key as 'Authorization: Basic <key>'"}]}"""));
        assertThat(server.post(execute(), "{}", "Basic !!!").status()).isEqualTo(401);
        String unknown = "Basic " + java.util.Base64.getEncoder().encodeToString(
                "00000000-0000-0000-0000-000000000000:secret".getBytes());
        assertThat(server.post(execute(), "{}", unknown).json().path("detail").asText()).isEqualTo("unknown server key");

        JsonNode created = server.post("/api/v1/keys", "{\"name\": \"to revoke\"}", TestServer.ADMIN_AUTH).json();
        String revoked = "Basic " + created.path("key").asText();
        assertThat(server.get("/api/v1/task/1", revoked).status()).isNotEqualTo(401);
        assertThat(server.send("DELETE", "/api/v1/keys/" + created.path("id").asText(), null, null,
                TestServer.ADMIN_AUTH).status()).isEqualTo(204);
        assertThat(server.get("/api/v1/task/1", revoked).json().path("detail").asText())
                .isEqualTo("this server key was revoked");
    }

    @Test
    void unknown_task_is_a_404() {
        TestServer.Answer answer = server.get("/api/v1/task/987654321", key);
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().path("detail").asText()).isEqualTo("task 987654321 does not exist");
    }

    /** Creates a task and returns its id: ids are sequential, so a gap would show a task made in between. */
    private static long lastTaskId() {
        return server.post(execute(), "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"probe\"}}}}", key)
                .json().path("id").asLong();
    }
}
