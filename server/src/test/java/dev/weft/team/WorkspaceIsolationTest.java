package dev.weft.team;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.weft.api.TestServer;
import dev.weft.auth.Callers;
import dev.weft.auth.WorkspaceGuard;
import dev.weft.json.Json;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two workspaces on one server, A (the default) and B, each with a flow, a task, a server key, a stored file, a
 * credential named "openai", an MCP server named "docs" and a knowledge base named "manual": nothing crosses. A
 * caller of A gets for B's objects the very 404 an id that does not exist gets (every route naming an object,
 * generated from the route table), lists show only its own workspace, and each run sends its own workspace's
 * "openai", reaches its own "docs" and searches its own "manual".
 */
class WorkspaceIsolationTest {

    static final String ECHO_FLOW = """
            {"name": "Echo auth", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {"q": {"type": "string"}}, "data": {"q": "x"}}},
              {"id": "call", "type": "http", "settings": {"url": "%s{{start.q}}", "auth": {"type": "bearer", "credential": "openai"},
                "response": "text", "timeout_ms": 10000}},
              {"id": "end", "type": "end", "settings": {"outputs": {"auth": {"type": "string"}}}}],
             "edges": [
              {"from_node": "start", "to_node": "call", "fields_mapping": [{"from_field": "q", "to_field": "q"}]},
              {"from_node": "call", "to_node": "end", "fields_mapping": [{"from_field": "body", "to_field": "auth"}]}]}""";

    static TestServer server;
    static HttpServer echo;
    /** An embedding endpoint that refuses everyone and records the Authorization each request carried. */
    static HttpServer embed;
    static final java.util.Queue<String> embedAuth = new java.util.concurrent.ConcurrentLinkedQueue<>();
    static final HttpClient client = HttpClient.newHttpClient();
    static final Map<String, Object> a = new java.util.HashMap<>();
    static final Map<String, Object> b = new java.util.HashMap<>();
    static long workspaceB;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        // answers with the Authorization header it got, so a run shows which credential it sent
        echo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        echo.createContext("/", exchange -> {
            byte[] body = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        echo.start();
        embed = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        embed.createContext("/", exchange -> {
            embedAuth.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"error\": {\"message\": \"no\"}}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        embed.start();
        JsonNode made = send("POST", "/api/v1/workspaces", "{\"name\": \"B\"}", TestServer.ADMIN_AUTH, null).json();
        workspaceB = made.path("id").asLong();
        assertThat(workspaceB).isGreaterThan(1);
        fill(a, "1", "sk-a");
        fill(b, String.valueOf(workspaceB), "sk-b");
    }

    /** A workspace's flow (published), key, credential "openai", finished task and uploaded file. */
    static void fill(Map<String, Object> into, String workspace, String secret) throws Exception {
        String flow = ECHO_FLOW.formatted("http://127.0.0.1:" + echo.getAddress().getPort() + "/");
        Reply created = send("POST", "/api/v1/flows", flow, TestServer.ADMIN_AUTH, workspace);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long flowId = created.json().path("id").asLong();
        Reply published = send("POST", "/api/v1/flows/" + flowId + "/publish", null, TestServer.ADMIN_AUTH, workspace);
        assertThat(published.status()).as(published.body()).isEqualTo(201);
        Reply key = send("POST", "/api/v1/keys", "{\"name\": \"k\"}", TestServer.ADMIN_AUTH, workspace);
        assertThat(key.status()).as(key.body()).isEqualTo(201);
        Reply credential = send("POST", "/api/v1/credentials", Json.object().put("name", "openai")
                .put("type", "bearer").put("secret", secret).toString(), TestServer.ADMIN_AUTH, workspace);
        assertThat(credential.status()).as(credential.body()).isEqualTo(201);
        String keyAuth = "Basic " + key.json().path("key").asText();
        Reply run = send("POST", "/api/v1/scade/flow/" + flowId + "/execute?wait=30", "{}", keyAuth, null);
        assertThat(run.status()).as(run.body()).isIn(200, 201);
        Reply file = send("POST", "/api/v1/files?filename=a.txt", "hello", keyAuth, null, "Content-Type", "text/plain");
        assertThat(file.status()).as(file.body()).isEqualTo(201);
        into.put("flow_id", flowId);
        into.put("key_id", key.json().path("id").asText());
        into.put("key", keyAuth);
        into.put("task_id", run.json().path("id").asLong());
        into.put("result", run.json().path("result").path("auth").asText());
        into.put("file_id", file.json().path("id").asText());
        fillMcpAndKb(into, workspace, key.json().path("key").asText(), keyAuth);
    }

    static final String MCP_FLOW = """
            {"name": "Ask docs", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {"q": {"type": "string"}}, "data": {"q": "x"}}},
              {"id": "tool", "type": "mcp", "settings": {"server": "docs", "tool": "greet", "arguments": {"name": "Ann"},
                "timeout_ms": 20000}},
              {"id": "end", "type": "end", "settings": {"outputs": {"result": {}}}}],
             "edges": [
              {"from_node": "start", "to_node": "tool", "fields_mapping": [{"from_field": "q", "to_field": "q"}]},
              {"from_node": "tool", "to_node": "end", "fields_mapping": [{"from_field": "result", "to_field": "result"}]}]}""";

    static final String KB_FLOW = """
            {"name": "Ask the manual", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {"q": {"type": "string"}}, "data": {"q": "x"}}},
              {"id": "add", "type": "kb_ingest", "settings": {"knowledge_base": "manual", "name": "note.txt",
                "text": "%s"}},
              {"id": "find", "type": "kb_search", "settings": {"knowledge_base": "manual", "query": "what is the code word"}},
              {"id": "end", "type": "end", "settings": {"outputs": {"context": {"type": "string"}}}}],
             "edges": [
              {"from_node": "start", "to_node": "add", "fields_mapping": [{"from_field": "q", "to_field": "q"}]},
              {"from_node": "add", "to_node": "find", "fields_mapping": [{"from_field": "status", "to_field": "status"}]},
              {"from_node": "find", "to_node": "end", "fields_mapping": [{"from_field": "context", "to_field": "context"}]}]}""";

    /**
     * A workspace's MCP server "docs" and knowledge base "manual", both of the same name in A and B, each run once
     * by a flow of that workspace. A's "docs" is this Weft's own MCP endpoint (a real MCP server) reached with A's
     * key from A's credential "mcp-token", offering A's flow "greet"; B's "docs" is an address of B's own where no
     * MCP server answers, so a run shows which "docs" it reached. Each "manual" gets its own code word by a
     * kb_ingest step and is searched by the next step. B also has MCP server "only-b", which A has not.
     */
    static void fillMcpAndKb(Map<String, Object> into, String workspace, String key, String keyAuth) throws Exception {
        boolean isA = workspace.equals("1");
        if (isA) {
            com.fasterxml.jackson.databind.node.ObjectNode greet =
                    (com.fasterxml.jackson.databind.node.ObjectNode) Json.read(TestServer.example("hello.json"));
            greet.put("mcp_tool", true).put("mcp_name", "greet");
            Reply made = send("POST", "/api/v1/flows", Json.write(greet), TestServer.ADMIN_AUTH, workspace);
            assertThat(made.status()).as(made.body()).isEqualTo(201);
            Reply published = send("POST", "/api/v1/flows/" + made.json().path("id").asLong() + "/publish", null,
                    TestServer.ADMIN_AUTH, workspace);
            assertThat(published.status()).as(published.body()).isEqualTo(201);
            Reply token = send("POST", "/api/v1/credentials", Json.object().put("name", "mcp-token")
                    .put("secret", "Bearer " + key).toString(), TestServer.ADMIN_AUTH, workspace);
            assertThat(token.status()).as(token.body()).isEqualTo(201);
        }
        String docs = isA
                ? Json.object().put("name", "docs").put("url", server.base() + "/mcp")
                        .set("headers", Json.object().put("Authorization", "mcp-token")).toString()
                : Json.object().put("name", "docs").put("url", server.base() + "/nowhere-b/mcp").toString();
        Reply mcp = send("POST", "/api/v1/mcp-servers", docs, TestServer.ADMIN_AUTH, workspace);
        assertThat(mcp.status()).as(mcp.body()).isEqualTo(201);
        if (!isA) {
            Reply only = send("POST", "/api/v1/mcp-servers", Json.object().put("name", "only-b")
                    .put("url", server.base() + "/nowhere-b/mcp").toString(), TestServer.ADMIN_AUTH, workspace);
            assertThat(only.status()).as(only.body()).isEqualTo(201);
            into.put("mcp_name", "only-b");
            Reply secret = send("POST", "/api/v1/credentials", Json.object().put("name", "only-b")
                    .put("secret", "sk-only-b").toString(), TestServer.ADMIN_AUTH, workspace);
            assertThat(secret.status()).as(secret.body()).isEqualTo(201);
            into.put("credential_name", "only-b");
            // this Weft's own MCP endpoint as B's key sees it: B's flows only (A's "greet" is not B's)
            Reply token = send("POST", "/api/v1/credentials", Json.object().put("name", "b-token")
                    .put("secret", "Bearer " + key).toString(), TestServer.ADMIN_AUTH, workspace);
            assertThat(token.status()).as(token.body()).isEqualTo(201);
            Reply self = send("POST", "/api/v1/mcp-servers", Json.object().put("name", "self")
                    .put("url", server.base() + "/mcp").set("headers", Json.object().put("Authorization", "b-token"))
                    .toString(), TestServer.ADMIN_AUTH, workspace);
            assertThat(self.status()).as(self.body()).isEqualTo(201);
        }
        Reply kb = send("POST", "/api/v1/knowledge-bases", "{\"name\": \"manual\"}", TestServer.ADMIN_AUTH, workspace);
        assertThat(kb.status()).as(kb.body()).isEqualTo(201);
        into.put("kb_id", kb.json().path("id").asLong());

        into.put("mcp_result", runFlow(MCP_FLOW, workspace, keyAuth).toString());
        String word = isA ? "The code word is apple." : "The code word is banana.";
        into.put("kb_result", runFlow(KB_FLOW.formatted(word), workspace, keyAuth).toString());
    }

    /** Publishes {@code flow} in {@code workspace} and runs it with that workspace's key: the finished task. */
    static JsonNode runFlow(String flow, String workspace, String keyAuth) throws Exception {
        Reply made = send("POST", "/api/v1/flows", flow, TestServer.ADMIN_AUTH, workspace);
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        long id = made.json().path("id").asLong();
        Reply published = send("POST", "/api/v1/flows/" + id + "/publish", null, TestServer.ADMIN_AUTH, workspace);
        assertThat(published.status()).as(published.body()).isEqualTo(201);
        Reply run = send("POST", "/api/v1/scade/flow/" + id + "/execute", "{}", keyAuth, null);
        assertThat(run.status()).as(run.body()).isIn(200, 201);
        return server.awaitTask(run.json().path("id").asLong(), keyAuth, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        server.close();
        echo.stop(0);
        embed.stop(0);
    }

    record Reply(int status, String body) {
        JsonNode json() {
            return body.isEmpty() ? Json.object() : Json.read(body);
        }
    }

    static Reply send(String method, String path, String body, String authorization, String workspace,
                      String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.base() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && headers.length == 0) request.header("Content-Type", "application/json");
        if (authorization != null) request.header("Authorization", authorization);
        if (workspace != null) request.header(Callers.WORKSPACE_HEADER, workspace);
        for (int i = 0; i + 1 < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body());
    }

    @Test
    void each_run_sends_its_own_workspaces_credential_of_the_same_name() {
        assertThat(a.get("result")).isEqualTo("Bearer sk-a");
        assertThat(b.get("result")).isEqualTo("Bearer sk-b");
    }

    @Test
    void each_run_reaches_its_own_workspaces_mcp_server_of_the_same_name() {
        JsonNode inA = Json.read((String) a.get("mcp_result"));
        assertThat(inA.path("state").asText()).as(inA.toString()).isEqualTo("completed");
        assertThat(inA.path("result").toString()).contains("Hello, Ann!");
        JsonNode inB = Json.read((String) b.get("mcp_result"));
        assertThat(inB.path("state").asText()).as(inB.toString()).isEqualTo("failed");
        assertThat(inB.path("error").toString()).contains("nowhere-b").doesNotContain("Hello");
    }

    @Test
    void each_run_searches_its_own_workspaces_knowledge_base_of_the_same_name() {
        JsonNode inA = Json.read((String) a.get("kb_result"));
        assertThat(inA.path("state").asText()).as(inA.toString()).isEqualTo("completed");
        assertThat(inA.path("result").path("context").asText()).contains("apple").doesNotContain("banana");
        JsonNode inB = Json.read((String) b.get("kb_result"));
        assertThat(inB.path("state").asText()).as(inB.toString()).isEqualTo("completed");
        assertThat(inB.path("result").path("context").asText()).contains("banana").doesNotContain("apple");
    }

    @Test
    void mcp_servers_and_knowledge_bases_of_another_workspace_are_neither_listed_nor_reached_by_name()
            throws Exception {
        String inA = send("GET", "/api/v1/mcp-servers", null, TestServer.ADMIN_AUTH, null).body();
        String inB = send("GET", "/api/v1/mcp-servers", null, TestServer.ADMIN_AUTH, String.valueOf(workspaceB)).body();
        assertThat(inA).contains("\"docs\"").contains("/mcp\"").doesNotContain("nowhere-b").doesNotContain("only-b");
        assertThat(inB).contains("\"docs\"").contains("nowhere-b").contains("only-b");
        Reply foreign = send("DELETE", "/api/v1/mcp-servers/only-b", null, TestServer.ADMIN_AUTH, null);
        Reply unknown = send("DELETE", "/api/v1/mcp-servers/no-such", null, TestServer.ADMIN_AUTH, null);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(normal(foreign, "only-b")).isEqualTo(normal(unknown, "no-such"));
        assertThat(send("GET", "/api/v1/mcp-servers/only-b", null, TestServer.ADMIN_AUTH, String.valueOf(workspaceB))
                .status()).isEqualTo(200);
        String kbsA = send("GET", "/api/v1/knowledge-bases", null, TestServer.ADMIN_AUTH, null).body();
        String kbsB = send("GET", "/api/v1/knowledge-bases", null, TestServer.ADMIN_AUTH, String.valueOf(workspaceB)).body();
        assertThat(kbsA).contains("\"id\":" + a.get("kb_id") + ",").doesNotContain("\"id\":" + b.get("kb_id") + ",");
        assertThat(kbsB).contains("\"id\":" + b.get("kb_id") + ",").doesNotContain("\"id\":" + a.get("kb_id") + ",");
    }

    @Test
    void a_knowledge_base_embeds_with_its_own_workspaces_credential_and_may_name_only_those() throws Exception {
        String b = String.valueOf(workspaceB);
        String remote = "{\"name\": \"%s\", \"embedding\": {\"provider\": \"openai\", \"url\": \"http://127.0.0.1:"
                + embed.getAddress().getPort() + "/v1\", \"model\": \"tiny\", \"dimension\": 3, \"credential\": \"%s\"}}";
        // "mcp-token" is a credential of A only: B may not name it
        Reply refused = send("POST", "/api/v1/knowledge-bases", remote.formatted("borrowed", "mcp-token"),
                TestServer.ADMIN_AUTH, b);
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("credential");
        Reply made = send("POST", "/api/v1/knowledge-bases", remote.formatted("remote", "openai"), TestServer.ADMIN_AUTH, b);
        assertThat(made.status()).as(made.body()).isEqualTo(201);

        JsonNode done = runFlow("""
                {"name": "Add remotely", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"q": {"type": "string"}}, "data": {"q": "x"}}},
                  {"id": "add", "type": "kb_ingest", "settings": {"knowledge_base": "remote", "name": "n.txt", "text": "hello"}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"status": {"type": "string"}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "add", "fields_mapping": [{"from_field": "q", "to_field": "q"}]},
                  {"from_node": "add", "to_node": "end", "fields_mapping": [{"from_field": "status", "to_field": "status"}]}]}""",
                b, (String) WorkspaceIsolationTest.b.get("key"));
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("failed");   // the endpoint refused it
        assertThat(embedAuth).isNotEmpty().containsOnly("Bearer sk-b");
    }

    @Test
    void weft_as_an_mcp_server_offers_a_key_only_its_own_workspaces_flows() throws Exception {
        Reply inA = send("GET", "/api/v1/mcp-servers/docs/tools", null, TestServer.ADMIN_AUTH, null);
        assertThat(inA.status()).as(inA.body()).isEqualTo(200);
        assertThat(inA.json().path("tools").findValuesAsText("name")).contains("greet");
        Reply inB = send("GET", "/api/v1/mcp-servers/self/tools", null, TestServer.ADMIN_AUTH, String.valueOf(workspaceB));
        assertThat(inB.status()).as(inB.body()).isEqualTo(200);
        assertThat(inB.json().path("tools").findValuesAsText("name")).doesNotContain("greet");
    }

    @Test
    void a_key_of_one_workspace_gets_for_the_others_flows_and_tasks_what_an_unknown_id_gets() throws Exception {
        String keyA = (String) a.get("key");
        Reply foreignRun = send("POST", "/api/v1/scade/flow/" + b.get("flow_id") + "/execute", "{}", keyA, null);
        Reply unknownRun = send("POST", "/api/v1/scade/flow/999999/execute", "{}", keyA, null);
        assertThat(foreignRun.status()).isEqualTo(404);
        assertThat(normal(foreignRun, b.get("flow_id"))).isEqualTo(normal(unknownRun, 999999));
        Reply foreignTask = send("GET", "/api/v1/task/" + b.get("task_id") + "?wait=1", null, keyA, null);
        Reply unknownTask = send("GET", "/api/v1/task/999999?wait=1", null, keyA, null);
        assertThat(foreignTask.status()).isEqualTo(404);
        assertThat(normal(foreignTask, b.get("task_id"))).isEqualTo(normal(unknownTask, 999999));
        // its own workspace's answer as before
        assertThat(send("GET", "/api/v1/task/" + a.get("task_id"), null, keyA, null).status()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/task/" + b.get("task_id"), null, (String) b.get("key"), null).status())
                .isEqualTo(200);
    }

    @Test
    void lists_show_only_the_callers_workspace() throws Exception {
        for (String path : List.of("/api/v1/flows", "/api/v1/keys", "/api/v1/tasks", "/api/v1/credentials")) {
            String inA = send("GET", path, null, TestServer.ADMIN_AUTH, null).body();
            String inB = send("GET", path, null, TestServer.ADMIN_AUTH, String.valueOf(workspaceB)).body();
            assertThat(inA).as(path).contains(idText(path, a)).doesNotContain(idText(path, b));
            assertThat(inB).as(path).contains(idText(path, b)).doesNotContain(idText(path, a));
        }
        Reply unknown = send("GET", "/api/v1/flows", null, TestServer.ADMIN_AUTH, "999");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("errors").path(0).path("field").asText()).isEqualTo(Callers.WORKSPACE_HEADER);
    }

    private static String idText(String path, Map<String, Object> workspace) {
        return switch (path) {
            case "/api/v1/flows" -> "\"id\":" + workspace.get("flow_id") + ",";
            case "/api/v1/keys" -> (String) workspace.get("key_id");
            case "/api/v1/tasks" -> "\"id\":" + workspace.get("task_id") + ",";
            default -> "\"flow_id\":" + workspace.get("flow_id") + ",";   // "openai", used by its own flow only
        };
    }

    /**
     * Every route naming an object by id (generated from the route table, so a new one cannot skip it), asked by
     * workspace A's admin token about workspace B's object and about an id nothing has: the same status and body.
     */
    @Test
    void every_route_naming_an_object_answers_for_another_workspaces_one_as_for_none() throws Exception {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (String route : server.routes()) {
            if (!route.contains(" /api/v1/") || !route.contains("{")) continue;
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1);
            String kind = WorkspaceGuard.KINDS.stream().filter(k -> path.contains("{" + k + "}")).findFirst()
                    .orElse(BY_NAME.entrySet().stream().filter(e -> path.startsWith(e.getKey())).map(Map.Entry::getValue)
                            .findFirst().orElse(null));
            if (kind == null) {
                if (!UNSCOPED.containsKey(path)) wrong.add(route + ": names no object the guard knows (add it to"
                        + " WorkspaceGuard.KINDS, or to UNSCOPED saying why it is not a workspace's object)");
                continue;
            }
            if (!b.containsKey(kind)) {
                wrong.add(route + ": workspace B has no " + kind + " to ask it about (add one in fill)");
                continue;
            }
            // a file's download link is a capability (a 128-bit random id handed out in task outputs), by design
            if (route.equals("GET /api/v1/files/{file_id}")) continue;
            String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
            Object foreignId = b.get(kind);
            Object unknownId = kind.equals("key_id") || kind.equals("file_id") ? "f0000000000000000000000000000000"
                    : BY_NAME.containsValue(kind) ? "no-such-name" : 999999;
            Reply foreign = send(method, fill(path, kind, foreignId), body, TestServer.ADMIN_AUTH, null);
            Reply unknown = send(method, fill(path, kind, unknownId), body, TestServer.ADMIN_AUTH, null);
            checked++;
            if (foreign.status() != unknown.status() || !normal(foreign, foreignId).equals(normal(unknown, unknownId))) {
                wrong.add(route + ": another workspace's " + kind + " answered " + foreign.status() + " " + foreign.body()
                        + " but an unknown one " + unknown.status() + " " + unknown.body());
            }
            if (foreign.status() / 100 == 2) wrong.add(route + ": another workspace's " + kind + " was served");
        }
        assertThat(wrong).isEmpty();
        assertThat(checked).isGreaterThan(20);
        System.out.printf("workspace isolation: %d routes naming an object checked%n", checked);
        // and B's objects are all still there, unchanged by A's attempts
        assertThat(send("GET", "/api/v1/flows/" + b.get("flow_id"), null, TestServer.ADMIN_AUTH,
                String.valueOf(workspaceB)).status()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/files/" + b.get("file_id"), null, (String) b.get("key"), null).body())
                .isEqualTo("hello");
    }

    /** Routes naming an object by its name in the caller's workspace (path prefix to the fixture B holds). */
    static final Map<String, String> BY_NAME = Map.of(
            "/api/v1/mcp-servers/{name}", "mcp_name",
            "/api/v1/credentials/{name}", "credential_name");

    /**
     * Routes whose path parameter names no workspace's object, each with why. A route naming an object and in
     * neither this list, {@link #BY_NAME} nor the guard's kinds fails the walk, so a new one cannot skip the check.
     */
    static final Map<String, String> UNSCOPED = Map.ofEntries(
            Map.entry("/api/v1/workspaces/{workspace_id}", "a workspace itself: its route checks membership"),
            Map.entry("/api/v1/templates/{template_id}", "the built-in gallery, the same in every workspace"),
            Map.entry("/api/v1/node-types/{type}", "the built-in node catalogue, the same in every workspace"),
            Map.entry("/api/v1/members/{user_id}", "a user: members routes check membership of the caller's workspace"),
            Map.entry("/api/v1/members/{user_id}/disable", "a user (see docs/security.md: acts on the user everywhere)"),
            Map.entry("/api/v1/members/{user_id}/enable", "a user (see docs/security.md: acts on the user everywhere)"),
            Map.entry("/api/v1/members/{user_id}/password", "a user (see docs/security.md: acts on the user everywhere)"),
            Map.entry("/api/v1/invitations/{token}", "a capability: the random token handed to the invitee"),
            Map.entry("/api/v1/invitations/{token}/accept", "a capability: the random token handed to the invitee"),
            Map.entry("/api/v1/account/sessions/{session_id}", "the signed-in user's own sessions"));

    /** {@code path} with {@code kind} set to {@code id} and every other parameter to an id nothing has. */
    private static String fill(String path, String kind, Object id) {
        return path.replace("{" + kind + "}", String.valueOf(id)).replaceAll("\\{[^}]+}", "999998");
    }

    /** An answer with the id it names replaced, so a foreign id's answer and an unknown one's compare. */
    private static String normal(Reply reply, Object id) {
        return reply.status() + " " + reply.body().replace(String.valueOf(id), "<id>");
    }

    @Test
    void a_member_switches_between_their_workspaces_and_sees_only_the_current_ones_objects() throws Exception {
        Browsers.Signed owner = Browsers.firstOwner(server, "owner@example.com");   // a member of A (the default)
        Browsers.Reply made = Browsers.send(server, "POST", "/api/v1/workspaces", "{\"name\": \"C\"}", owner);
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        long c = made.json().path("id").asLong();
        Browsers.Reply mine = Browsers.send(server, "GET", "/api/v1/workspaces", null, owner);
        assertThat(mine.json().path("workspaces").findValuesAsText("name")).containsExactly("Default", "C");
        assertThat(mine.json().path("workspaces").findValuesAsText("role")).containsExactly("owner", "owner");

        // in A: A's flow, not B's (404 as for none)
        assertThat(Browsers.send(server, "GET", "/api/v1/flows/" + a.get("flow_id"), null, owner).status()).isEqualTo(200);
        Browsers.Reply foreign = Browsers.send(server, "GET", "/api/v1/flows/" + b.get("flow_id"), null, owner);
        Browsers.Reply none = Browsers.send(server, "GET", "/api/v1/flows/999999", null, owner);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.body().replace(String.valueOf(b.get("flow_id")), "<id>"))
                .isEqualTo(none.body().replace("999999", "<id>"));

        // switched to C: its (empty) lists, and A's flow is now out of reach
        Browsers.Reply switched = Browsers.send(server, "POST", "/api/v1/session/workspace",
                "{\"workspace_id\": " + c + "}", owner);
        assertThat(switched.status()).as(switched.body()).isEqualTo(200);
        assertThat(switched.json().path("workspace").path("id").asLong()).isEqualTo(c);
        assertThat(switched.json().path("user").path("role").asText()).isEqualTo("owner");
        assertThat(Browsers.send(server, "GET", "/api/v1/flows", null, owner).json().path("flows")).isEmpty();
        assertThat(Browsers.send(server, "GET", "/api/v1/flows/" + a.get("flow_id"), null, owner).status()).isEqualTo(404);
        assertThat(Browsers.send(server, "GET", "/api/v1/session", null, owner).json().path("workspace").path("id")
                .asLong()).isEqualTo(c);

        // B is not theirs: 404, and the session stays in C
        Browsers.Reply refused = Browsers.send(server, "POST", "/api/v1/session/workspace",
                "{\"workspace_id\": " + workspaceB + "}", owner);
        assertThat(refused.status()).isEqualTo(404);
        assertThat(Browsers.send(server, "GET", "/api/v1/session", null, owner).json().path("workspace").path("id")
                .asLong()).isEqualTo(c);
        assertThat(Browsers.send(server, "POST", "/api/v1/session/workspace", "{\"workspace_id\": 1}", owner).status())
                .isEqualTo(200);
        assertThat(Browsers.send(server, "GET", "/api/v1/flows/" + a.get("flow_id"), null, owner).status()).isEqualTo(200);
    }
}
