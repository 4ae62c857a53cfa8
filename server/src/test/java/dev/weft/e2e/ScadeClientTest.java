package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.api.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client written the way public Scade clients are: POST execute with the server key, read {@code id}, poll
 * {@code /api/v1/task/{id}} every few milliseconds until {@code status == 3}, read {@code result[field]}. The
 * flow branches on an {@code if} node; its true branch calls a loopback service through an {@code http} node.
 */
class ScadeClientTest {

    static final String FLOW = """
            {"name": "VIP greeting", "nodes": [
              {"id": "SYnn-start", "type": "start", "settings": {"inputs": {
                 "name": {"type": "string", "required": true},
                 "vip": {"type": "boolean", "default": false},
                 "api": {"type": "string", "format": "uri", "required": true}}}},
              {"id": "wFps-if", "type": "if", "settings": {}},
              {"id": "Qp3x-http", "type": "http", "settings": {"url": "{{SYnn-start.api}}/vip?name={{SYnn-start.name}}"}},
              {"id": "Ha7k-template", "type": "template", "settings": {"template": "Hello {{SYnn-start.name}}"}},
              {"id": "y5iI-end", "type": "end", "settings": {"outputs": {"message": {"type": "string"}}}}],
             "edges": [
              {"from_node": "SYnn-start", "to_node": "wFps-if", "fields_mapping": [{"from_field": "vip", "to_field": "condition"}]},
              {"from_node": "wFps-if", "to_node": "Qp3x-http", "fields_mapping": [{"from_field": "true", "to_field": "@"}]},
              {"from_node": "wFps-if", "to_node": "Ha7k-template", "fields_mapping": [{"from_field": "false", "to_field": "@"}]},
              {"from_node": "Qp3x-http", "to_node": "y5iI-end", "fields_mapping": [{"from_field": "body.query", "to_field": "message"}]},
              {"from_node": "Ha7k-template", "to_node": "y5iI-end", "fields_mapping": [{"from_field": "text", "to_field": "message"}]}]}""";

    static TestServer weft;
    static Upstream upstream;
    static long flowId;
    static String serverKey;

    @BeforeAll
    static void start() {
        weft = TestServer.start();
        upstream = new Upstream();
        flowId = weft.publishFlow(FLOW);
        serverKey = weft.newKeyAuth("scade client").substring("Basic ".length());
    }

    @AfterAll
    static void stop() {
        weft.close();
        upstream.close();
    }

    // --- the client, as Scade's users write it ---------------------------------------------------------------

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final int POLL_MS = 20;

    static JsonNode runFlow(String baseUrl, String key, long flow, String inputsJson) throws Exception {
        String body = "{\"start_node_id\": \"SYnn-start\", \"end_node_id\": \"y5iI-end\", \"result_node_id\": \"y5iI-end\","
                + " \"node_settings\": {\"SYnn-start\": {\"data\": " + inputsJson + "}}}";
        HttpRequest execute = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/scade/flow/" + flow + "/execute"))
                .header("Authorization", "Basic " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long taskId = JSON.readTree(HTTP.send(execute, HttpResponse.BodyHandlers.ofString()).body()).get("id").asLong();
        for (int i = 0; i < 500; i++) {
            HttpRequest poll = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/task/" + taskId))
                    .header("Authorization", "Basic " + key).GET().build();
            JsonNode task = JSON.readTree(HTTP.send(poll, HttpResponse.BodyHandlers.ofString()).body());
            if (task.get("status").asInt() == 3) return task.get("result");
            Thread.sleep(POLL_MS);   // the client's poll interval
        }
        throw new IllegalStateException("task " + taskId + " did not finish");
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    void the_true_branch_calls_the_service_and_its_answer_is_the_result() throws Exception {
        JsonNode result = runFlow(weft.base(), serverKey, flowId,
                "{\"name\": \"Ada\", \"vip\": true, \"api\": \"" + upstream.base() + "\"}");

        assertThat(result.get("message").asText()).isEqualTo("name=Ada");
        assertThat(upstream.calls("/vip", "name=Ada")).isEqualTo(1);
    }

    @Test
    void the_false_branch_skips_the_service_and_answers_from_the_template() throws Exception {
        JsonNode result = runFlow(weft.base(), serverKey, flowId,
                "{\"name\": \"Bob\", \"vip\": false, \"api\": \"" + upstream.base() + "\"}");

        assertThat(result.get("message").asText()).isEqualTo("Hello Bob");
        assertThat(upstream.calls("/vip", "name=Bob")).isZero();
    }
}
