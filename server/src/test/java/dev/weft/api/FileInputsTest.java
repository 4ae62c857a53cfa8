package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A start input of {@code format: "uri"} fed an uploaded file, run through the Scade-compatible API: the start
 * node emits the file's URL, and a {@code files} node downstream fetches it (private addresses are allowed on the
 * test server) and stores its own copy.
 */
class FileInputsTest {

    private static final String FLOW = """
            {"name": "copy an uploaded file",
             "nodes": [
               {"id": "start", "type": "start", "settings": {
                 "inputs": {"document": {"type": "string", "format": "uri", "required": true}}}},
               {"id": "copy", "type": "files", "settings": {"url": "{{start.document}}", "name": "copy.txt"}},
               {"id": "end", "type": "end", "settings": {"outputs": {
                 "document": {"type": "string"}, "copy_url": {"type": "string"}, "copy_sha256": {"type": "string"},
                 "copy_type": {"type": "string"}}}}],
             "edges": [
               {"from_node": "start", "to_node": "copy", "fields_mapping": [{"from_field": "document", "to_field": "document"}]},
               {"from_node": "start", "to_node": "end", "fields_mapping": [{"from_field": "document", "to_field": "document"}]},
               {"from_node": "copy", "to_node": "end", "fields_mapping": [
                 {"from_field": "url", "to_field": "copy_url"}, {"from_field": "sha256", "to_field": "copy_sha256"},
                 {"from_field": "content_type", "to_field": "copy_type"}]}]}
            """;

    static TestServer server;
    static String key;
    static long flowId;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        key = server.newKeyAuth("runner");
        flowId = server.publishFlow(FLOW);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode upload(String text) {
        FilesApiTest.Reply created = FilesApiTest.send(HttpRequest.newBuilder(
                        URI.create(server.base() + "/api/v1/files?filename=note.txt"))
                .POST(HttpRequest.BodyPublishers.ofString(text)).header("Content-Type", "text/plain; charset=utf-8")
                .header("Authorization", key));
        assertThat(created.status()).isEqualTo(201);
        return created.json();
    }

    private static TestServer.Answer execute(String document) {
        return server.post("/api/v1/scade/flow/" + flowId + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": {\"document\": " + Json.write(Json.MAPPER.valueToTree(document))
                        + "}}}}", key);
    }

    @Test
    void an_uploaded_file_id_runs_the_flow_with_the_file_url() {
        JsonNode file = upload("hello from a file");

        TestServer.Answer accepted = execute(file.path("id").asText());
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(200);
        JsonNode task = server.awaitTask(accepted.json().path("id").asLong(), key, Duration.ofSeconds(20));

        assertThat(task.path("status").asInt()).isEqualTo(3);
        assertThat(task.path("state").asText()).as(task.toString()).isEqualTo("completed");
        JsonNode result = task.path("result");
        assertThat(result.path("document").asText()).isEqualTo(file.path("url").asText());
        assertThat(result.path("copy_sha256").asText()).isEqualTo(file.path("sha256").asText());
        assertThat(result.path("copy_type").asText()).isEqualTo("text/plain;charset=utf-8");   // as Jetty serves it
        assertThat(result.path("copy_url").asText()).startsWith(server.base() + "/api/v1/files/f")
                .isNotEqualTo(file.path("url").asText());
        assertThat(server.get(result.path("copy_url").asText().substring(server.base().length()), null).text())
                .isEqualTo("hello from a file");
    }

    @Test
    void the_file_url_is_accepted_as_well_as_the_id() {
        JsonNode file = upload("by url");

        TestServer.Answer accepted = execute(file.path("url").asText());

        assertThat(accepted.status()).isEqualTo(200);
        JsonNode task = server.awaitTask(accepted.json().path("id").asLong(), key, Duration.ofSeconds(20));
        assertThat(task.path("result").path("document").asText()).isEqualTo(file.path("url").asText());
    }

    @Test
    void an_unknown_file_id_is_refused_naming_the_input_and_no_task_is_made() {
        String tasksBefore = server.get("/api/v1/tasks?flow_id=" + flowId, TestServer.ADMIN_AUTH).text();

        TestServer.Answer refused = execute("faaaaaaaaaaaaaaaaaaaaaaaaaa");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("errors")).isEqualTo(Json.read("""
                [{"field": "node_settings.start.data.document",
                  "message": "no file 'faaaaaaaaaaaaaaaaaaaaaaaaaa' was uploaded to this Weft (upload one with POST /api/v1/files and pass its id or url)"}]"""));
        assertThat(server.get("/api/v1/tasks?flow_id=" + flowId, TestServer.ADMIN_AUTH).text()).isEqualTo(tasksBefore);
    }

    @Test
    void a_text_that_is_neither_a_file_nor_a_url_is_refused_as_before() {
        TestServer.Answer refused = execute("just text");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("errors").get(0).path("message").asText())
                .isEqualTo("must be an absolute URI such as https://example.com/file.png");
    }
}
