package dev.weft.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.api.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /mcp} on the wire, as the Streamable HTTP transport and JSON-RPC 2.0 specify it: credentials checked first
 * (401 with {@code WWW-Authenticate}), the JSON-RPC error codes for malformed messages, 202 for notifications, 405
 * for the GET stream and DELETE this stateless server does not offer; and the tool settings checked on save.
 */
class McpProtocolTest {

    static TestServer server;
    static String key;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.publishFlow(McpFlows.hello(true, "greet", null));
        key = server.newKeyAuth("mcp").substring("Basic ".length());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestServer.Answer post(String body, String authorization) {
        return server.post("/mcp", body, authorization, "Accept", "application/json, text/event-stream");
    }

    private static JsonNode error(String body, int status) {
        TestServer.Answer answer = post(body, "Bearer " + key);
        assertThat(answer.status()).as(body).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.json().path("jsonrpc").asText()).isEqualTo("2.0");
        return answer.json();
    }

    @Test
    void a_missing_or_wrong_key_gets_401_with_a_challenge_before_the_body_is_read() {
        for (String authorization : new String[] {null, "Bearer wrong", "Basic d3Jvbmc6a2V5", "Bearer " + key + "x"}) {
            TestServer.Answer answer = post("{not json", authorization);
            assertThat(answer.status()).as(String.valueOf(authorization)).isEqualTo(401);
            assertThat(answer.header("WWW-Authenticate")).isEqualTo(McpApi.CHALLENGE);
            assertThat(answer.contentType()).isEqualTo("application/problem+json");
        }
        String ping = "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\"}";
        assertThat(post(ping, "Bearer " + key).status()).isEqualTo(200);
        assertThat(post(ping, "Basic " + key).status()).isEqualTo(200);
        assertThat(post(ping, TestServer.ADMIN_AUTH).status()).isEqualTo(200);
    }

    @Test
    void malformed_messages_get_the_json_rpc_error_codes() {
        JsonNode parse = error("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": ", 400);
        assertThat(parse.path("error").path("code").asInt()).isEqualTo(-32700);
        assertThat(parse.path("id").isNull()).isTrue();

        JsonNode noVersion = error("{\"id\": 7, \"method\": \"ping\"}", 400);
        assertThat(noVersion.path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(noVersion.path("id").asInt()).isEqualTo(7);
        JsonNode batch = error("[{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\"}]", 400);
        assertThat(batch.path("error").path("code").asInt()).isEqualTo(-32600);
        JsonNode badId = error("{\"jsonrpc\": \"2.0\", \"id\": {\"a\": 1}, \"method\": \"ping\"}", 400);
        assertThat(badId.path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(error("\"ping\"", 400).path("error").path("code").asInt()).isEqualTo(-32600);

        JsonNode unknown = error("{\"jsonrpc\": \"2.0\", \"id\": \"a\", \"method\": \"resources/list\"}", 200);
        assertThat(unknown.path("error").path("code").asInt()).isEqualTo(-32601);
        assertThat(unknown.path("id").asText()).isEqualTo("a");

        JsonNode noName = error("{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"tools/call\", \"params\": {}}", 200);
        assertThat(noName.path("error").path("code").asInt()).isEqualTo(-32602);
        JsonNode listParams = error("{\"jsonrpc\": \"2.0\", \"id\": 3, \"method\": \"tools/call\", \"params\": [1]}", 200);
        assertThat(listParams.path("error").path("code").asInt()).isEqualTo(-32602);
        JsonNode badArguments = error("{\"jsonrpc\": \"2.0\", \"id\": 4, \"method\": \"tools/call\", \"params\": "
                + "{\"name\": \"greet\", \"arguments\": \"Ada\"}}", 200);
        assertThat(badArguments.path("error").path("code").asInt()).isEqualTo(-32602);
        JsonNode unknownTool = error("{\"jsonrpc\": \"2.0\", \"id\": 5, \"method\": \"tools/call\", \"params\": "
                + "{\"name\": \"nope\", \"arguments\": {}}}", 200);
        assertThat(unknownTool.path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(unknownTool.path("error").path("message").asText()).contains("nope");
    }

    @Test
    void a_call_over_plain_http_answers_one_json_response_with_structured_content() {
        TestServer.Answer answer = post("{\"jsonrpc\": \"2.0\", \"id\": 9, \"method\": \"tools/call\", \"params\": "
                + "{\"name\": \"greet\", \"arguments\": {\"name\": \"Ada\"}}}", "Bearer " + key);
        assertThat(answer.status()).isEqualTo(200);
        JsonNode result = answer.json().path("result");
        assertThat(answer.json().path("id").asInt()).isEqualTo(9);
        assertThat(result.path("structuredContent").path("greeting").asText()).isEqualTo("Hello, Ada!");
        assertThat(result.path("content").get(0).path("type").asText()).isEqualTo("text");
        assertThat(result.path("isError").asBoolean()).isFalse();
    }

    @Test
    void initialize_agrees_on_the_clients_version_when_it_speaks_it_and_else_offers_the_newest() {
        String ask = "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\", \"params\": {\"protocolVersion\": "
                + "\"%s\", \"capabilities\": {}, \"clientInfo\": {\"name\": \"t\", \"version\": \"1\"}}}";
        assertThat(error(ask.formatted("2025-03-26"), 200).path("result").path("protocolVersion").asText())
                .isEqualTo("2025-03-26");
        JsonNode future = error(ask.formatted("2099-01-01"), 200).path("result");
        assertThat(future.path("protocolVersion").asText()).isEqualTo(FlowToolsHandler.VERSIONS.get(0));
        assertThat(future.path("capabilities").has("tools")).isTrue();
        assertThat(future.path("serverInfo").path("name").asText()).isEqualTo("weft");
    }

    @Test
    void notifications_get_202_and_an_unsupported_protocol_header_400() {
        TestServer.Answer accepted = post("{\"jsonrpc\": \"2.0\", \"method\": \"notifications/initialized\"}",
                "Bearer " + key);
        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.text()).isEmpty();
        TestServer.Answer old = server.post("/mcp", "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\"}",
                "Bearer " + key, McpApi.PROTOCOL_HEADER, "2023-01-01");
        assertThat(old.status()).isEqualTo(400);
        assertThat(old.json().path("error").path("message").asText()).contains("2023-01-01");
    }

    @Test
    void the_get_stream_and_delete_answer_405_allowing_post_once_the_caller_is_known() {
        for (String method : new String[] {"GET", "DELETE"}) {
            TestServer.Answer answer = server.send(method, "/mcp", null, null, "Bearer " + key);
            assertThat(answer.status()).as(method).isEqualTo(405);
        }
        TestServer.Answer get = server.get("/mcp", "Bearer " + key);
        assertThat(get.header("Allow")).isEqualTo("POST");
        TestServer.Answer anonymous = server.send("DELETE", "/mcp", null, null, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).isEqualTo(McpApi.CHALLENGE);
    }

    @Test
    void two_flows_choosing_one_tool_name_keep_it_apart_by_the_later_flows_id() {
        long first = server.publishFlow(McpFlows.hello(true, "twin", null));
        long second = server.publishFlow(McpFlows.hello(true, "twin", null));
        JsonNode tools = error("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/list\"}", 200)
                .path("result").path("tools");
        java.util.List<String> names = new java.util.ArrayList<>();
        tools.forEach(t -> names.add(t.path("name").asText()));
        assertThat(first).isLessThan(second);
        assertThat(names).contains("twin", "twin_" + second).doesNotContain("twin_" + first);
    }

    @Test
    void a_tool_name_outside_mcps_rule_is_refused_on_save_naming_the_field() {
        TestServer.Answer refused = server.post("/api/v1/flows", McpFlows.hello(true, "has space", null),
                TestServer.ADMIN_AUTH);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("errors").get(0).path("field").asText()).isEqualTo("mcp_name");
        assertThat(refused.json().path("errors").get(0).path("message").asText()).contains("has space");
        ObjectNode yes = (ObjectNode) Json.read(McpFlows.hello(null, null, null));
        yes.put("mcp_tool", "yes");
        TestServer.Answer notBoolean = server.post("/api/v1/flows", Json.write(yes), TestServer.ADMIN_AUTH);
        assertThat(notBoolean.status()).isEqualTo(400);
        assertThat(notBoolean.json().path("errors").get(0).path("field").asText()).isEqualTo("mcp_tool");
    }
}
