package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.builtin.FakeModel;
import dev.weft.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Test-runs of a draft ({@code POST /api/v1/flows/{id}/test-runs}): the draft runs without being published, as a
 * task marked draft that the admin sees and server keys never do; one node runs alone on given inputs; a pinned
 * output stands in for its node in a test-run (the model is not called) and is ignored by a published version.
 */
class TestRunsApiTest {

    static final String ADMIN = TestServer.ADMIN_AUTH;
    static final Duration LIMIT = Duration.ofSeconds(10);
    static final String GREETING = """
            {"name": "greet", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {"name": {"type": "string", "required": true}}}},
              {"id": "greet", "type": "template", "settings": {"template": "%s, {{start.name}}!"}},
              {"id": "end", "type": "end", "settings": {"outputs": {"text": {"type": "string"}}}}],
             "edges": [
              {"from_node": "start", "to_node": "greet", "fields_mapping": [{"from_field": "name", "to_field": "name"}]},
              {"from_node": "greet", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "text"}]}]}""";
    static final String ASK = """
            {"name": "ask", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {"q": {"type": "string", "required": true}}}},
              {"id": "ask", "type": "llm", "settings": {"base_url": "%s", "model": "gpt-4o-mini", "user": "{{start.q}}",
                "max_retries": 0}%s},
              {"id": "shout", "type": "template", "settings": {"template": "{{ask.text}}!"}},
              {"id": "end", "type": "end", "settings": {"outputs": {"text": {"type": "string"}}}}],
             "edges": [
              {"from_node": "start", "to_node": "ask", "fields_mapping": [{"from_field": "q", "to_field": "q"}]},
              {"from_node": "ask", "to_node": "shout", "fields_mapping": [{"from_field": "text", "to_field": "text"}]},
              {"from_node": "shout", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "text"}]}]}""";
    static final String RUN_ADA = "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Ada\"}}}}";

    static TestServer server;
    static FakeModel model;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        model = new FakeModel();
        key = server.newKeyAuth("drafts");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        model.close();
    }

    static long create(String document) {
        TestServer.Answer created = server.post("/api/v1/flows", document, ADMIN);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().path("id").asLong();
    }

    static TestServer.Answer testRun(long flow, String body) {
        return server.post("/api/v1/flows/" + flow + "/test-runs?wait=10", body, ADMIN);
    }

    /** One streamed model answer in OpenAI's chunk format. */
    static FakeModel.Script answer(String text) {
        String head = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
                + "\"model\":\"gpt-4o-mini\",";
        return FakeModel.Script.events(
                head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"" + text
                        + "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n",
                head + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n",
                "data: [DONE]\n\n");
    }

    @Test
    void a_test_run_runs_the_unpublished_draft_as_a_draft_task_that_server_keys_never_see() {
        long flow = create(GREETING.formatted("Hello"));

        TestServer.Answer ran = testRun(flow, RUN_ADA);
        assertThat(ran.status()).as(ran.text()).isEqualTo(200);
        JsonNode task = ran.json();
        long id = task.path("id").asLong();
        assertThat(task.path("status").asInt()).isEqualTo(3);
        assertThat(task.path("result")).isEqualTo(Json.read("{\"text\": \"Hello, Ada!\"}"));
        assertThat(task.path("draft").asBoolean()).isTrue();
        assertThat(server.get("/api/v1/flows/" + flow, ADMIN).json().path("latest_version").isNull())
                .as("nothing was published").isTrue();

        assertThat(server.get("/api/v1/task/" + id, ADMIN).json().path("draft").asBoolean()).isTrue();
        for (String path : new String[] {"", "/steps", "/events", "/deliveries"}) {
            TestServer.Answer hidden = server.get("/api/v1/task/" + id + path, key);
            assertThat(hidden.status()).as(path).isEqualTo(404);
            assertThat(hidden.json().path("detail").asText()).isEqualTo("task " + id + " does not exist");
        }
        assertThat(server.post("/api/v1/task/" + id + "/retry", "{}", key).status()).isEqualTo(404);
        assertThat(server.post("/api/v1/flows/" + flow + "/test-runs", RUN_ADA, key).status())
                .as("a server key cannot start one").isEqualTo(401);

        JsonNode listed = server.get("/api/v1/tasks?flow_id=" + flow, ADMIN).json().path("tasks");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("draft").asBoolean()).isTrue();
        assertThat(server.get("/api/v1/tasks?flow_id=" + flow + "&draft=false", ADMIN).json().path("tasks")).isEmpty();
        assertThat(server.get("/api/v1/tasks?draft=true", ADMIN).json().path("tasks").findValuesAsText("id"))
                .contains(String.valueOf(id));
        assertThat(server.get("/api/v1/tasks?draft=maybe", ADMIN).json().path("errors").get(0).path("field").asText())
                .isEqualTo("draft");
    }

    @Test
    void the_edited_draft_runs_while_execute_keeps_running_the_published_version() {
        long flow = server.publishFlow(GREETING.formatted("Hello"));
        ObjectNode edited = (ObjectNode) Json.read(GREETING.formatted("Goodbye"));
        assertThat(server.send("PUT", "/api/v1/flows/" + flow, Json.write(edited), "application/json", ADMIN).status())
                .isEqualTo(200);

        assertThat(testRun(flow, RUN_ADA).json().path("result").path("text").asText()).isEqualTo("Goodbye, Ada!");
        long published = server.post("/api/v1/scade/flow/" + flow + "/execute", RUN_ADA, key).json().path("id").asLong();
        JsonNode task = server.awaitTask(published, key, LIMIT);
        assertThat(task.path("result").path("text").asText()).isEqualTo("Hello, Ada!");
        assertThat(task.path("flow_version").asInt()).isEqualTo(1);
        assertThat(task.has("draft")).isFalse();
        assertThat(server.get("/api/v1/flows/" + flow, ADMIN).json().path("latest_version").asInt()).isEqualTo(1);
        assertThat(server.get("/api/v1/flows/" + flow + "/versions", ADMIN).json().path("versions")).hasSize(1);
    }

    @Test
    void a_draft_that_cannot_run_is_a_400_naming_the_node_and_no_task_is_made() {
        ObjectNode doc = (ObjectNode) Json.read(GREETING.formatted("Hello"));
        ((ObjectNode) doc.path("nodes").get(1)).set("pinned", Json.read("{\"outputs\": {\"text\": \"x\"}, \"port\": \"nope\"}"));
        long flow = create(Json.write(doc));
        int before = server.get("/api/v1/tasks", ADMIN).json().path("tasks").size();

        TestServer.Answer refused = testRun(flow, RUN_ADA);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("errors").get(0).path("field").asText()).isEqualTo("nodes[1].pinned.port");
        assertThat(refused.json().path("errors").get(0).path("message").asText()).contains("node 'greet' has no port \"nope\"");

        TestServer.Answer unknown = testRun(flow, "{\"node\": \"ghost\", \"inputs\": {}}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("errors").get(0).path("field").asText()).isEqualTo("node");
        TestServer.Answer version = testRun(flow, "{\"flow_version\": 1}");
        assertThat(version.json().path("errors").get(0).path("field").asText()).isEqualTo("flow_version");
        TestServer.Answer missing = testRun(create(GREETING.formatted("Hi")), "{}");
        assertThat(missing.status()).as("the start's required input, as execute checks it").isEqualTo(400);
        assertThat(missing.json().path("errors").get(0).path("field").asText()).isEqualTo("node_settings.start.data.name");
        assertThat(server.get("/api/v1/tasks", ADMIN).json().path("tasks")).hasSize(before);
    }

    @Test
    void one_node_runs_alone_on_the_inputs_given_with_references_read_from_them() {
        long flow = create(GREETING.formatted("Hi"));
        TestServer.Answer ran = testRun(flow, "{\"node\": \"greet\", \"inputs\": {\"name\": \"Bob\", \"start\": {\"name\": \"Eve\"}}}");
        assertThat(ran.status()).as(ran.text()).isEqualTo(200);
        assertThat(ran.json().path("draft").asBoolean()).isTrue();
        assertThat(ran.json().path("result")).isEqualTo(Json.read("{\"success\": {\"text\": \"Hi, Eve!\"}}"));
        JsonNode steps = server.get("/api/v1/task/" + ran.json().path("id").asLong() + "/steps", ADMIN).json().path("steps");
        JsonNode greet = null;
        for (JsonNode step : steps) if (step.path("node_id").asText().equals("greet")) greet = step;
        assertThat(greet).as(steps.toString()).isNotNull();
        assertThat(greet.path("type").asText()).isEqualTo("template");
        assertThat(greet.path("inputs").path("name").asText()).isEqualTo("Bob");
        assertThat(greet.path("outputs").path("text").asText()).isEqualTo("Hi, Eve!");
    }

    @Test
    void a_pinned_output_stands_in_for_its_node_in_test_runs_and_a_published_version_ignores_it() {
        model.requests.clear();
        long flow = create(ASK.formatted(model.base("/v1"),
                ", \"pinned\": {\"outputs\": {\"text\": \"pinned answer\"}}"));

        JsonNode pinned = testRun(flow, "{\"node_settings\": {\"start\": {\"data\": {\"q\": \"Hi\"}}}}").json();
        assertThat(pinned.path("result").path("text").asText()).isEqualTo("pinned answer!");
        assertThat(model.requests).as("the model was not called").isEmpty();
        JsonNode steps = server.get("/api/v1/task/" + pinned.path("id").asLong() + "/steps", ADMIN).json().path("steps");
        assertThat(steps.findValuesAsText("type")).contains("pinned");

        // "Run this node" runs it for real, pin or not
        model.enqueue(answer("live answer"));
        JsonNode one = testRun(flow, "{\"node\": \"ask\", \"inputs\": {\"start\": {\"q\": \"Hi\"}}}").json();
        assertThat(one.path("result").path("success").path("text").asText()).isEqualTo("live answer");
        assertThat(model.requests).hasSize(1);

        assertThat(server.post("/api/v1/flows/" + flow + "/publish", null, ADMIN).status()).isEqualTo(201);
        assertThat(server.get("/api/v1/flows/" + flow + "/versions/1", ADMIN).json().path("document").path("nodes")
                .findValues("pinned")).as("a published version keeps no pin").isEmpty();
        assertThat(server.get("/api/v1/flows/" + flow, ADMIN).json().path("document").path("nodes")
                .findValues("pinned")).as("the draft keeps its pin").hasSize(1);
        model.enqueue(answer("published answer"));
        long id = server.post("/api/v1/scade/flow/" + flow + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": {\"q\": \"Hi\"}}}}", key).json().path("id").asLong();
        assertThat(server.awaitTask(id, key, LIMIT).path("result").path("text").asText()).isEqualTo("published answer!");
        assertThat(model.requests).as("the published version called the model").hasSize(2);
    }

    @Test
    void a_test_run_streams_its_events_as_execute_does() {
        long flow = create(GREETING.formatted("Hey"));
        TestServer.Answer stream = server.post("/api/v1/flows/" + flow + "/test-runs?stream=true", RUN_ADA, ADMIN);
        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.contentType()).startsWith("text/event-stream");
        assertThat(stream.text()).contains("event: task.accepted").contains("event: task.finished")
                .contains("Hey, Ada!").contains("\"draft\":true");
    }

    @Test
    void the_curl_example_in_the_api_docs_runs() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "api.md"));
        String section = doc.substring(doc.indexOf("## Test runs of a draft"));
        String script = section.substring(section.indexOf("```bash\n") + 8, section.indexOf("```\n", section.indexOf("```bash") + 7));
        script = script.replaceFirst("WEFT=\\S+ TOKEN=\\S+", "WEFT=" + server.base() + " TOKEN=" + TestServer.ADMIN);
        Process bash = new ProcessBuilder("bash", "-c", script).directory(Path.of("..").toFile())
                .redirectErrorStream(true).start();
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).as("the example ends").isTrue();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.exitValue()).as(out).isZero();
        assertThat(out).contains("\"result\":{\"greeting\":\"Hello, Ada!\"}").contains("\"draft\":true")
                .contains("\"result\":{\"success\":{\"text\":\"Hello, Bob!\"}}");
    }
}
