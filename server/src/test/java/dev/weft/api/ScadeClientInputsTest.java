package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.http.ProblemMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scade clients as they are in the wild, over raw HTTP on loopback: a JSON body sent with no {@code Content-Type}
 * (Python's {@code requests.post(url, data=json.dumps(...))}) or as {@code text/plain} (a browser's {@code fetch}
 * of a string) is read as JSON; typed start inputs take the text forms a form or a script sends ({@code "5"},
 * {@code "true"}) and the flow sees the typed value; what stays ambiguous, and an empty required string, is a 400
 * naming the field, with nothing stored.
 */
class ScadeClientInputsTest {

    static final String FLOW = """
            {"name": "typed inputs", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {
                 "name": {"type": "string", "required": true},
                 "count": {"type": "integer", "required": true},
                 "ratio": {"type": "number"},
                 "flag": {"type": "boolean"}}}},
              {"id": "end", "type": "end", "settings": {"outputs": {"name": {"type": "string"},
                 "count": {"type": "integer"}, "ratio": {"type": "number"}, "flag": {"type": "boolean"}}}}],
             "edges": [{"from_node": "start", "to_node": "end", "fields_mapping": [
                 {"from_field": "name", "to_field": "name"}, {"from_field": "count", "to_field": "count"},
                 {"from_field": "ratio", "to_field": "ratio"}, {"from_field": "flag", "to_field": "flag"}]}]}""";

    static TestServer server;
    static long flowId;
    static String key;
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        server = TestServer.start();
        flowId = server.publishFlow(FLOW);
        key = server.newKeyAuth("python client");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** An execute as a client library sends it: {@code contentType} null sends no such header at all. */
    static HttpResponse<String> execute(String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.base() + "/api/v1/scade/flow/" + flowId
                        + "/execute")).timeout(Duration.ofSeconds(30)).header("Authorization", key)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) request.header("Content-Type", contentType);
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String inputs(String data) {
        return "{\"node_settings\": {\"start\": {\"data\": " + data + "}}}";
    }

    static JsonNode result(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isIn(200, 202);
        long task = dev.weft.json.Json.read(answer.body()).path("id").asLong();
        JsonNode done = server.awaitTask(task, key, Duration.ofSeconds(30));
        assertThat(done.path("status").asInt()).as(done.toString()).isEqualTo(3);
        return done.path("result");
    }

    static JsonNode refused(HttpResponse<String> answer, int status, String field) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue(ProblemMapper.CONTENT_TYPE);
        JsonNode problem = dev.weft.json.Json.read(answer.body());
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo(field);
        return problem.path("errors").get(0);
    }

    static String tasks() {
        return server.get("/api/v1/tasks?limit=" + dev.weft.store.JdbcTaskList.LIMIT_MAX, TestServer.ADMIN_AUTH).text();
    }

    @Test
    void a_json_body_without_content_type_or_as_text_plain_is_read_as_json() {
        String body = inputs("{\"name\": \"Ada\", \"count\": 1}");

        assertThat(result(execute(body, null)).path("name").asText()).isEqualTo("Ada");
        assertThat(result(execute(body, "text/plain")).path("name").asText()).isEqualTo("Ada");
        assertThat(result(execute(body, "text/plain;charset=UTF-8")).path("name").asText()).isEqualTo("Ada");
    }

    @Test
    void a_body_that_is_not_json_is_still_refused_whatever_its_type_says() {
        String before = tasks();

        refused(execute("name=Ada&count=1", "text/plain"), 400, "body");
        refused(execute("name=Ada", null), 400, "body");
        refused(execute(inputs("{\"name\": \"Ada\", \"count\": 1}"), "application/xml"), 415, "Content-Type");
        refused(execute(inputs("{\"name\": \"Ada\", \"count\": 1}"), "text/plain; charset=iso-8859-1"), 415,
                "Content-Type");
        refused(execute("[1, 2]", "text/plain"), 400, "body");

        assertThat(tasks()).isEqualTo(before);
    }

    @Test
    void text_forms_of_typed_inputs_reach_the_flow_as_their_type() {
        JsonNode result = result(execute(inputs("{\"name\": \"Ada\", \"count\": \"5\", \"ratio\": \"-2.5\", \"flag\": \"true\"}"),
                null));

        assertThat(result.path("count").isIntegralNumber()).as(result.toString()).isTrue();
        assertThat(result.path("count").asInt()).isEqualTo(5);
        assertThat(result.path("ratio").isNumber()).isTrue();
        assertThat(result.path("ratio").asDouble()).isEqualTo(-2.5);
        assertThat(result.path("flag").isBoolean()).isTrue();
        assertThat(result.path("flag").asBoolean()).isTrue();
        assertThat(result.path("name").asText()).isEqualTo("Ada");

        JsonNode other = result(execute(inputs("{\"name\": \"5\", \"count\": 7, \"flag\": \"False\"}"), "application/json"));
        assertThat(other.path("name").isTextual()).as("a string input keeps its text").isTrue();
        assertThat(other.path("flag").isBoolean()).isTrue();
        assertThat(other.path("flag").asBoolean()).isFalse();
    }

    @Test
    void ambiguous_text_for_a_typed_input_is_a_400_naming_the_field() {
        String before = tasks();

        JsonNode fraction = refused(execute(inputs("{\"name\": \"Ada\", \"count\": \"5.5\"}"), null), 400,
                "node_settings.start.data.count");
        assertThat(fraction.path("message").asText()).isEqualTo("must be an integer (got a number)");
        JsonNode comma = refused(execute(inputs("{\"name\": \"Ada\", \"count\": 1, \"ratio\": \"1,5\"}"), null), 400,
                "node_settings.start.data.ratio");
        assertThat(comma.path("message").asText()).contains("got the string '1,5'");
        refused(execute(inputs("{\"name\": \"Ada\", \"count\": 1, \"flag\": \"yes\"}"), null), 400,
                "node_settings.start.data.flag");

        assertThat(tasks()).isEqualTo(before);
    }

    @Test
    void an_empty_string_for_a_required_string_input_is_refused_like_a_missing_one() {
        String before = tasks();

        JsonNode empty = refused(execute(inputs("{\"name\": \"\", \"count\": 1}"), null), 400,
                "node_settings.start.data.name");
        assertThat(empty.path("message").asText()).isEqualTo("is required (string); an empty string counts as missing");
        JsonNode missing = refused(execute(inputs("{\"count\": 1}"), null), 400, "node_settings.start.data.name");
        assertThat(missing.path("message").asText()).isEqualTo("is required (string)");

        assertThat(tasks()).isEqualTo(before);
    }
}
