package dev.weft.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /mcp} driven by the official Java SDK's own client over its Streamable HTTP transport, against a real
 * Weft server on loopback: only flows whose author turned {@code mcp_tool} on are tools, a key limited to some
 * flows sees and calls only theirs, a call is a stored task, a failing flow is a tool error.
 */
@SuppressWarnings("unchecked")
class McpServerTest {

    static TestServer server;
    static long greet;
    static long other;
    static String key;
    static String scoped;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        greet = server.publishFlow(McpFlows.hello(true, "greet", "Greets someone by name"));
        other = server.publishFlow(McpFlows.hello(true, "greet_other", null));
        server.publishFlow(McpFlows.hello(null, null, null));                 // not exposed: no mcp_tool
        server.publishFlow(McpFlows.hello(false, "greet_off", null));         // turned off
        server.publishFlow(McpFlows.failing());
        TestServer.Answer draft = server.post("/api/v1/flows", McpFlows.hello(true, "draft_only", null),
                TestServer.ADMIN_AUTH);                                       // never published
        assertThat(draft.status()).isEqualTo(201);
        key = server.newKeyAuth("mcp").substring("Basic ".length());
        TestServer.Answer limited = server.post("/api/v1/keys", "{\"name\": \"one\", \"flow_ids\": [" + greet + "]}",
                TestServer.ADMIN_AUTH);
        scoped = limited.json().path("key").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static McpSyncClient client(String authorization) {
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(server.base())
                .endpoint("/mcp")
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization",
                        authorization))
                .build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(20)).build();
    }

    static List<Long> tasksOf(long flow) {
        JsonNode list = server.get("/api/v1/tasks?flow_id=" + flow + "&limit=100", TestServer.ADMIN_AUTH).json();
        List<Long> ids = new java.util.ArrayList<>();
        list.path("tasks").forEach(t -> ids.add(t.path("id").asLong()));
        return ids;
    }

    @Test
    void the_sdk_client_lists_only_published_flows_whose_author_exposed_them() {
        try (McpSyncClient client = client("Bearer " + key)) {
            McpSchema.InitializeResult init = client.initialize();
            assertThat(init.serverInfo().name()).isEqualTo("weft");
            assertThat(init.capabilities().tools()).isNotNull();

            List<McpSchema.Tool> tools = client.listTools().tools();
            assertThat(tools).extracting(McpSchema.Tool::name).containsExactly("greet", "greet_other", "explode");
            McpSchema.Tool tool = tools.get(0);
            assertThat(tool.description()).isEqualTo("Greets someone by name");
            assertThat(tool.title()).isEqualTo("Hello");
            Map<String, Object> input = tool.inputSchema();
            assertThat(input).containsEntry("type", "object").containsEntry("required", List.of("name"));
            Map<String, Object> properties = (Map<String, Object>) input.get("properties");
            assertThat(properties).containsOnlyKeys("name");
            assertThat((Map<String, Object>) properties.get("name"))
                    .containsEntry("type", "string").containsEntry("title", "Name")
                    .containsEntry("description", "Who to greet");
            assertThat(tool.outputSchema()).containsEntry("type", "object");
            assertThat((Map<String, Object>) tool.outputSchema().get("properties")).containsOnlyKeys("greeting");
            assertThat(tools.get(1).description()).contains("'Hello'").contains("flow " + other);
        }
    }

    @Test
    void a_call_runs_the_flow_as_a_stored_task_and_answers_its_outputs() {
        try (McpSyncClient client = client("Bearer " + key)) {
            client.initialize();
            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("greet",
                    Map.of("name", "Ada")));
            assertThat(result.isError()).isFalse();
            assertThat(result.structuredContent()).isEqualTo(Map.of("greeting", "Hello, Ada!"));
            assertThat(((McpSchema.TextContent) result.content().get(0)).text()).isEqualTo("{\"greeting\":\"Hello, Ada!\"}");

            long taskId = ((Number) result.meta().get(FlowToolCalls.TASK_ID_META)).longValue();
            JsonNode task = server.get("/api/v1/task/" + taskId, "Basic " + key).json();
            assertThat(task.path("status").asInt()).isEqualTo(3);
            assertThat(task.path("flow_id").asLong()).isEqualTo(greet);
            assertThat(task.path("result").path("greeting").asText()).isEqualTo("Hello, Ada!");
            assertThat(tasksOf(greet)).contains(taskId);   // visible in Tasks like any other
        }
    }

    @Test
    void a_flow_that_fails_is_a_tool_error_carrying_the_error_text() {
        try (McpSyncClient client = client("Basic " + key)) {
            client.initialize();
            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("explode",
                    Map.of("name", "Ada")));
            assertThat(result.isError()).isTrue();
            assertThat(((McpSchema.TextContent) result.content().get(0)).text()).contains("failed").contains("boom: Ada")
                    .contains("node calc");
            long taskId = ((Number) result.meta().get(FlowToolCalls.TASK_ID_META)).longValue();
            assertThat(server.get("/api/v1/task/" + taskId, "Basic " + key).json().path("status").asInt()).isEqualTo(4);
        }
    }

    @Test
    void arguments_the_flow_refuses_are_a_tool_error_naming_the_argument_and_store_no_task() {
        try (McpSyncClient client = client("Bearer " + key)) {
            client.initialize();
            int before = tasksOf(greet).size();
            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("greet",
                    Map.of("name", 42)));
            assertThat(result.isError()).isTrue();
            assertThat(((McpSchema.TextContent) result.content().get(0)).text())
                    .isEqualTo("the arguments do not fit tool 'greet': name must be a string (got an integer)");
            assertThat(tasksOf(greet).size()).isEqualTo(before);
        }
    }

    @Test
    void a_key_limited_to_some_flows_sees_only_their_tools_and_is_refused_the_others() {
        try (McpSyncClient client = client("Bearer " + scoped)) {
            client.initialize();
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).containsExactly("greet");
            assertThat(client.callTool(new McpSchema.CallToolRequest("greet", Map.of("name", "Bo"))).structuredContent())
                    .isEqualTo(Map.of("greeting", "Hello, Bo!"));
            assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("greet_other", Map.of("name", "Bo"))))
                    .isInstanceOfSatisfying(McpError.class, e -> {
                        assertThat(e.getJsonRpcError().code()).isEqualTo(McpSchema.ErrorCodes.INVALID_PARAMS);
                        assertThat(e.getMessage()).contains("greet_other");
                    });
        }
    }

    @Test
    void a_wrong_key_cannot_even_initialize() {
        try (McpSyncClient client = client("Bearer not-a-key")) {
            assertThatThrownBy(client::initialize)
                    .hasCauseInstanceOf(McpHttpClientTransportAuthorizationException.class);
        }
    }
}
