package dev.weft.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.weft.api.TestServer;
import dev.weft.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Weft's MCP client against the reference "everything" MCP server from the npm registry, run by the test on
 * loopback (Streamable HTTP, and stdio from the allow-list): servers configured through the API, tools listed
 * live, the mcp node in published flows run through the Scade API, and the failures a flow must see clearly.
 */
class McpClientTest {

    static final String ADMIN = TestServer.ADMIN_AUTH;
    static final Duration LIMIT = Duration.ofSeconds(60);
    static final String SECRET = "mcp-secret-7c1f9a";
    static EverythingServer everything;
    static TestServer server;

    @BeforeAll
    static void start() {
        everything = EverythingServer.startHttp();
        server = TestServer.startWith(c -> c.withMcp(new McpConfig(List.of(EverythingServer.node()))));
        TestServer.Answer credential = server.post("/api/v1/credentials",
                "{\"name\": \"everything-token\", \"secret\": \"Bearer " + SECRET + "\"}", ADMIN);
        assertThat(credential.status()).as(credential.text()).isEqualTo(201);
        configure("everything", "{\"transport\": \"http\", \"url\": \"" + everything.url() + "\","
                + " \"headers\": {\"Authorization\": \"everything-token\"}}");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (everything != null) everything.close();
    }

    static JsonNode configure(String name, String settings) {
        ObjectNodeText body = new ObjectNodeText(settings).with("name", name);
        TestServer.Answer answer = server.post("/api/v1/mcp-servers", body.text(), ADMIN);
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.json();
    }

    /** A flow: start (a, b) -> mcp (server, tool, arguments, more settings) -> end (result, content, is_error). */
    static String flow(String server, String tool, String arguments, String extra) {
        return """
                {"name": "MCP %s", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"a": {"type": "number"}, "b": {"type": "number"},
                    "text": {"type": "string"}}}},
                  {"id": "tool", "type": "mcp", "settings": {"server": "%s", "tool": "%s", "arguments": %s%s}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"result": {}, "content": {"type": "array"},
                    "is_error": {"type": "boolean"}}}}
                ], "edges": [
                  {"from_node": "start", "to_node": "tool", "fields_mapping": [{"from_field": "a", "to_field": "a"}]},
                  {"from_node": "tool", "to_node": "end", "fields_mapping": [{"from_field": "result", "to_field": "result"},
                    {"from_field": "content", "to_field": "content"}, {"from_field": "is_error", "to_field": "is_error"}]}
                ]}""".formatted(tool, server, tool, arguments, extra);
    }

    static JsonNode run(long flowId, String data) {
        TestServer.Answer answer = server.post("/api/v1/scade/flow/" + flowId + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": " + data + "}}}", ADMIN);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return server.awaitTask(answer.json().path("id").asLong(), ADMIN, LIMIT);
    }

    @Test
    void a_configured_server_lists_its_tools_live_and_never_shows_a_secret() {
        TestServer.Answer tools = server.get("/api/v1/mcp-servers/everything/tools", ADMIN);

        assertThat(tools.status()).as(tools.text()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        tools.json().path("tools").forEach(t -> names.add(t.path("name").asText()));
        assertThat(names).contains("echo", "get-sum", "get-structured-content");
        JsonNode sum = find(tools.json().path("tools"), "get-sum");
        assertThat(sum.path("description").asText()).isEqualTo("Returns the sum of two numbers");
        assertThat(sum.path("input_schema").path("properties").path("a").path("type").asText()).isEqualTo("number");

        TestServer.Answer one = server.get("/api/v1/mcp-servers/everything", ADMIN);
        assertThat(one.json().path("headers")).isEqualTo(Json.read("{\"Authorization\": \"everything-token\"}"));
        assertThat(one.json().path("url").asText()).isEqualTo(everything.url());
        assertThat(server.get("/api/v1/mcp-servers", ADMIN).text()).contains("\"everything\"").doesNotContain(SECRET);
        assertThat(server.get("/api/v1/mcp-servers", null).status()).isEqualTo(401);
        String key = server.newKeyAuth("runner");
        assertThat(server.get("/api/v1/mcp-servers", key).status()).isEqualTo(401)
                .isEqualTo(server.get("/api/v1/credentials", key).status());
    }

    @Test
    void the_mcp_node_in_a_published_flow_returns_the_tools_answer_through_the_scade_api() {
        long sum = server.publishFlow(flow("everything", "get-sum", "{\"a\": \"{{start.a}}\", \"b\": \"{{start.b}}\"}", ""));

        JsonNode done = run(sum, "{\"a\": 2, \"b\": 40}");

        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.path("result").path("result").asText()).isEqualTo("The sum of 2 and 40 is 42.");
        assertThat(done.path("result").path("content"))
                .isEqualTo(Json.read("[{\"type\": \"text\", \"text\": \"The sum of 2 and 40 is 42.\"}]"));
        assertThat(done.path("result").path("is_error").asBoolean(true)).isFalse();
        assertThat(done.toString()).doesNotContain(SECRET);

        JsonNode example = run(server.publishFlow(TestServer.example("mcp-sum.json")), "{\"a\": 1.5, \"b\": 2}");
        assertThat(example.path("result").path("answer").asText()).as(example.toString())
                .isEqualTo("The sum of 1.5 and 2 is 3.5.");

        long weather = server.publishFlow(flow("everything", "get-structured-content",
                "{\"location\": \"Chicago\"}", ""));
        JsonNode structured = run(weather, "{}");
        assertThat(structured.path("state").asText()).as(structured.toString()).isEqualTo("completed");
        assertThat(structured.path("result").path("result").path("temperature").isNumber()).isTrue();
        assertThat(structured.path("result").path("result").path("conditions").isTextual()).isTrue();
    }

    @Test
    void a_session_is_opened_once_reused_by_later_steps_and_replaced_when_the_settings_change() throws Exception {
        try (EverythingServer own = EverythingServer.startHttp()) {
            configure("counted", "{\"url\": \"" + own.url() + "\"}");
            long flow = server.publishFlow(flow("counted", "echo", "{\"message\": \"again\"}", ""));

            for (int i = 0; i < 3; i++) {
                assertThat(run(flow, "{}").path("result").path("result").asText()).isEqualTo("Echo: again");
            }
            assertThat(server.get("/api/v1/mcp-servers/counted/tools", ADMIN).status()).isEqualTo(200);
            assertThat(own.sessionsOpened()).isEqualTo(1);

            TestServer.Answer changed = server.send("PUT", "/api/v1/mcp-servers/counted",
                    "{\"url\": \"" + own.url() + "?changed=1\"}", "application/json", ADMIN);
            assertThat(changed.status()).as(changed.text()).isEqualTo(200);
            assertThat(own.awaitSessionEnded()).as("the old session is closed with DELETE").isTrue();
            assertThat(run(flow, "{}").path("result").path("result").asText()).isEqualTo("Echo: again");
            assertThat(own.sessionsOpened()).isEqualTo(2);
        }
    }

    @Test
    void a_tool_slower_than_the_timeout_fails_the_step_and_does_not_hang_the_task() {
        long flow = server.publishFlow(flow("everything", "trigger-long-running-operation",
                "{\"duration\": 30, \"steps\": 3}", ", \"timeout_ms\": 400"));

        JsonNode failed = run(flow, "{}");

        assertThat(failed.path("state").asText()).as(failed.toString()).isEqualTo("failed");
        assertThat(failed.path("error").path("type").asText()).isEqualTo("mcp_error");
        assertThat(failed.path("error").path("message").asText())
                .isEqualTo("MCP server 'everything', tool 'trigger-long-running-operation' did not answer in time");
    }

    @Test
    void a_tool_that_reports_an_error_fails_the_step_with_mcp_tool_error_and_its_text() {
        long flow = server.publishFlow(flow("everything", "get-sum", "{\"a\": \"one\", \"b\": 2}", ""));

        JsonNode failed = run(flow, "{}");

        assertThat(failed.path("state").asText()).as(failed.toString()).isEqualTo("failed");
        assertThat(failed.path("error").path("type").asText()).isEqualTo("mcp_tool_error");
        assertThat(failed.path("error").path("message").asText())
                .startsWith("MCP server 'everything', tool 'get-sum' reported an error: ").contains("a");
        assertThat(failed.path("error").path("node_id").asText()).isEqualTo("tool");
    }

    @Test
    void a_server_that_is_down_fails_the_step_naming_the_server_and_a_change_of_url_takes_effect_at_once() {
        configure("moving", "{\"url\": \"" + everything.url() + "\"}");
        long flow = server.publishFlow(flow("moving", "echo", "{\"message\": \"hello\"}", ""));
        JsonNode first = run(flow, "{}");
        assertThat(first.path("state").asText()).as(first.toString()).isEqualTo("completed");
        assertThat(first.path("result").path("result").asText()).isEqualTo("Echo: hello");

        String nowhere = "http://127.0.0.1:" + closedPort() + "/mcp";
        TestServer.Answer changed = server.send("PUT", "/api/v1/mcp-servers/moving", "{\"url\": \"" + nowhere + "\"}",
                "application/json", ADMIN);
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        assertThat(changed.json().path("version").asInt()).isEqualTo(2);

        JsonNode down = run(flow, "{}");
        assertThat(down.path("state").asText()).as(down.toString()).isEqualTo("failed");
        assertThat(down.path("error").path("type").asText()).isEqualTo("mcp_error");
        assertThat(down.path("error").path("message").asText())
                .isEqualTo("MCP server 'moving', tool 'echo' is down: no connection to " + nowhere);
        TestServer.Answer tools = server.get("/api/v1/mcp-servers/moving/tools", ADMIN);
        assertThat(tools.status()).isEqualTo(502);
        assertThat(tools.json().path("detail").asText()).contains("MCP server 'moving'", "is down");
    }

    @Test
    void a_server_that_answers_garbage_fails_clearly_and_the_credential_goes_only_in_the_header() throws IOException {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        HttpServer garbage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        garbage.createContext("/", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "<html><body>Welcome to nginx!</body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        garbage.start();
        try {
            configure("garbage", "{\"url\": \"http://127.0.0.1:" + garbage.getAddress().getPort() + "/mcp\","
                    + " \"headers\": {\"Authorization\": \"everything-token\"}}");
            long flow = server.publishFlow(flow("garbage", "echo", "{\"message\": \"hi\"}", ""));

            JsonNode failed = run(flow, "{}");

            assertThat(failed.path("state").asText()).as(failed.toString()).isEqualTo("failed");
            assertThat(failed.path("error").path("type").asText()).isEqualTo("mcp_error");
            assertThat(failed.path("error").path("message").asText())
                    .startsWith("MCP server 'garbage', tool 'echo' did not answer as an MCP server");
            assertThat(authorizations).isNotEmpty().allSatisfy(a -> assertThat(a).isEqualTo("Bearer " + SECRET));
            assertThat(failed.toString()).doesNotContain(SECRET);
            assertThat(server.get("/api/v1/task/" + failed.path("id").asLong() + "/steps", ADMIN).text())
                    .doesNotContain(SECRET);
        } finally {
            garbage.stop(0);
        }
    }

    @Test
    void an_stdio_server_from_the_allow_list_runs_with_a_clean_environment() {
        List<String> command = EverythingServer.stdioCommand();
        configure("local", "{\"transport\": \"stdio\", \"command\": \"" + command.get(0) + "\", \"args\": "
                + Json.write(command.subList(1, command.size())) + "}");

        TestServer.Answer tools = server.get("/api/v1/mcp-servers/local/tools", ADMIN);
        assertThat(tools.status()).as(tools.text()).isEqualTo(200);
        assertThat(find(tools.json().path("tools"), "echo").path("name").asText()).isEqualTo("echo");

        JsonNode echoed = run(server.publishFlow(flow("local", "echo", "{\"message\": \"over stdio\"}", "")), "{}");
        assertThat(echoed.path("result").path("result").asText()).as(echoed.toString()).isEqualTo("Echo: over stdio");

        JsonNode env = run(server.publishFlow(flow("local", "get-env", "{}", "")), "{}");
        assertThat(env.path("state").asText()).as(env.toString()).isEqualTo("completed");
        Set<String> passed = Set.of("HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER");
        List<String> names = new ArrayList<>();
        env.path("result").path("result").fieldNames().forEachRemaining(names::add);
        assertThat(names).contains("PATH").allSatisfy(name -> assertThat(passed).contains(name));
        assertThat(System.getenv().keySet()).as("this test's own environment has more to leak")
                .anySatisfy(name -> assertThat(passed).doesNotContain(name));
    }

    @Test
    void an_stdio_command_off_the_allow_list_is_a_400_naming_the_field_and_nothing_is_stored() {
        TestServer.Answer refused = server.post("/api/v1/mcp-servers",
                "{\"name\": \"shell\", \"transport\": \"stdio\", \"command\": \"/bin/sh\", \"args\": [\"-c\", \"id\"]}",
                ADMIN);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("errors").path(0).path("field").asText()).isEqualTo("command");
        assertThat(refused.json().path("errors").path(0).path("message").asText())
                .contains("'/bin/sh' is not on the allow-list", "WEFT_MCP_STDIO_ALLOW");
        assertThat(server.get("/api/v1/mcp-servers/shell", ADMIN).status()).isEqualTo(404);

        TestServer.Answer change = server.send("PUT", "/api/v1/mcp-servers/everything",
                "{\"transport\": \"stdio\", \"command\": \"/bin/sh\"}", "application/json", ADMIN);
        assertThat(change.status()).isEqualTo(400);
        assertThat(server.get("/api/v1/mcp-servers/everything", ADMIN).json().path("url").asText())
                .isEqualTo(everything.url());
    }

    @Test
    void bad_settings_are_a_400_naming_the_field() {
        Map<String, String> cases = Map.of(
                "{\"name\": \"x\", \"url\": \"ftp://example.com/mcp\"}", "url",
                "{\"name\": \"x\", \"transport\": \"sse\", \"url\": \"https://example.com/mcp\"}", "transport",
                "{\"name\": \"x\", \"url\": \"https://example.com/mcp\", \"headers\": {\"X-Key\": \"no-such\"}}",
                "headers.X-Key",
                "{\"name\": \"x\", \"url\": \"https://example.com/mcp\", \"command\": \"node\"}", "command",
                "{\"name\": \"bad name!\", \"url\": \"https://example.com/mcp\"}", "name",
                "{\"name\": \"x\", \"url\": \"https://user:pw@example.com/mcp\"}", "url");
        cases.forEach((body, field) -> {
            TestServer.Answer answer = server.post("/api/v1/mcp-servers", body, ADMIN);
            assertThat(answer.status()).as(body).isEqualTo(400);
            assertThat(answer.json().path("errors").path(0).path("field").asText()).as(body).isEqualTo(field);
        });
        assertThat(server.get("/api/v1/mcp-servers/x", ADMIN).status()).isEqualTo(404);
        assertThat(server.post("/api/v1/mcp-servers", "{\"name\": \"everything\", \"url\": \"" + everything.url()
                + "\"}", ADMIN).status()).isEqualTo(409);
    }

    @Test
    void an_unknown_server_fails_the_step_naming_it_and_a_deleted_one_is_gone() {
        configure("short-lived", "{\"url\": \"" + everything.url() + "\"}");
        assertThat(server.send("DELETE", "/api/v1/mcp-servers/short-lived", null, null, ADMIN).status()).isEqualTo(204);
        assertThat(server.send("DELETE", "/api/v1/mcp-servers/short-lived", null, null, ADMIN).status()).isEqualTo(404);

        JsonNode failed = run(server.publishFlow(flow("short-lived", "echo", "{\"message\": \"x\"}", "")), "{}");

        assertThat(failed.path("error").path("type").asText()).as(failed.toString()).isEqualTo("mcp_error");
        assertThat(failed.path("error").path("message").asText()).contains("MCP server 'short-lived' is not configured");
    }

    @Test
    void a_private_url_is_refused_where_private_addresses_are_not_allowed() {
        try (TestServer guarded = TestServer.start(c -> c.withAllowPrivateHttp(false))) {
            TestServer.Answer answer = guarded.post("/api/v1/mcp-servers",
                    "{\"name\": \"local\", \"url\": \"" + everything.url() + "\"}", ADMIN);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.json().path("errors").path(0).path("field").asText()).isEqualTo("url");
            assertThat(answer.json().path("errors").path(0).path("message").asText()).contains("loopback");
        }
    }

    static JsonNode find(JsonNode tools, String name) {
        for (JsonNode tool : tools) if (tool.path("name").asText().equals(name)) return tool;
        throw new AssertionError("no tool " + name + " in " + tools);
    }

    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A JSON object written as text, with one more field. */
    record ObjectNodeText(String json) {
        ObjectNodeText with(String field, String value) {
            com.fasterxml.jackson.databind.node.ObjectNode node = (com.fasterxml.jackson.databind.node.ObjectNode) Json.read(json);
            node.put(field, value);
            return new ObjectNodeText(Json.write(node));
        }

        String text() {
            return json;
        }
    }
}
