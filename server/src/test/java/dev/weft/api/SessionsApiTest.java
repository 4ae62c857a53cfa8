package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import dev.weft.server.ClusterConfig;
import dev.weft.store.Database;
import dev.weft.store.JdbcConversations;
import dev.weft.store.testing.TestPostgres;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conversation memory API on a real server, on both databases: a flow's sessions listed with their counts, a
 * session's messages read in order, a session deleted; an unknown flow is 404, a bad session id 400 naming it, and
 * only the admin may use it. The messages are written as the agent node writes them ({@link JdbcConversations}),
 * through a second handle on the server's database.
 */
class SessionsApiTest {

    static final String ADMIN = TestServer.ADMIN_AUTH;

    record Setup(TestServer server, Database database) implements AutoCloseable {
        @Override
        public void close() {
            database.close();
            server.close();
        }
    }

    static Stream<Arguments> databases() {
        Function<Void, Setup> sqlite = ignored -> {
            TestServer server = TestServer.start();
            return new Setup(server, Database.openSqlite(server.dataDir()));
        };
        Function<Void, Setup> postgres = ignored -> {
            String url = TestPostgres.newDatabase();
            TestServer server = TestServer.startWith(c -> c.withCluster(ClusterConfig.defaults().withDbUrl(url)));
            return new Setup(server, Database.openPostgres(url));
        };
        return Stream.of(Arguments.of("sqlite", sqlite), Arguments.of("postgresql", postgres));
    }

    private static long task(TestServer server, long flowId) {
        TestServer.Answer answer = server.post("/api/v1/scade/flow/" + flowId + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Ada\"}}}}", ADMIN);
        assertThat(answer.status()).as(answer.text()).isIn(200, 201, 202);
        long id = answer.json().path("id").asLong();
        server.awaitTask(id, ADMIN, Duration.ofSeconds(20));
        return id;
    }

    private static List<JsonNode> turn(String user, String assistant) {
        return List.of(Json.object().put("role", "user").put("content", user),
                Json.object().put("role", "assistant").put("content", assistant));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void sessions_are_listed_read_and_deleted_per_flow(String name, Function<Void, Setup> open) {
        try (Setup setup = open.apply(null)) {
            TestServer server = setup.server();
            long flow = server.publishFlow(TestServer.example("hello.json"));
            long other = server.publishFlow(TestServer.example("hello.json"));
            JdbcConversations memory = new JdbcConversations(setup.database(), Clock.systemUTC());
            long first = task(server, flow);
            long second = task(server, flow);
            memory.append(first, "agent", "chat-1", turn("hi", "hello"), 0, 0);
            memory.append(second, "agent", "chat-1", turn("and now?", "still here"), 0, 0);
            memory.append(second, "agent-2", "chat-2", turn("other", "chat"), 0, 0);

            JsonNode sessions = server.get("/api/v1/flows/" + flow + "/sessions", ADMIN).json();
            assertThat(sessions.path("flow_id").asLong()).isEqualTo(flow);
            assertThat(sessions.path("sessions").findValuesAsText("session_id"))
                    .containsExactlyInAnyOrder("chat-1", "chat-2");
            JsonNode chat1 = sessions.path("sessions").findParents("session_id").stream()
                    .filter(s -> s.path("session_id").asText().equals("chat-1")).findFirst().orElseThrow();
            assertThat(chat1.path("messages").asInt()).isEqualTo(4);
            assertThat(chat1.path("tokens").asLong()).isPositive();
            assertThat(server.get("/api/v1/flows/" + other + "/sessions", ADMIN).json().path("sessions"))
                    .as("another flow has none").isEmpty();

            JsonNode messages = server.get("/api/v1/flows/" + flow + "/sessions/chat-1/messages", ADMIN).json();
            assertThat(messages.path("session_id").asText()).isEqualTo("chat-1");
            assertThat(messages.path("messages").findValuesAsText("content"))
                    .containsExactly("hi", "hello", "and now?", "still here");
            assertThat(messages.path("messages").get(0).path("task_id").asLong()).isEqualTo(first);
            assertThat(messages.path("messages").get(3).path("task_id").asLong()).isEqualTo(second);
            assertThat(messages.path("messages").get(0).path("node_id").asText()).isEqualTo("agent");
            assertThat(messages.path("messages").get(0).path("message").path("role").asText()).isEqualTo("user");

            assertThat(server.send("DELETE", "/api/v1/flows/" + flow + "/sessions/chat-1", null, null, ADMIN)
                    .status()).isEqualTo(204);
            assertThat(server.get("/api/v1/flows/" + flow + "/sessions/chat-1/messages", ADMIN).json()
                    .path("messages")).isEmpty();
            assertThat(server.get("/api/v1/flows/" + flow + "/sessions", ADMIN).json().path("sessions")
                    .findValuesAsText("session_id")).containsExactly("chat-2");
            TestServer.Answer again = server.send("DELETE", "/api/v1/flows/" + flow + "/sessions/chat-1", null, null,
                    ADMIN);
            assertThat(again.status()).isEqualTo(404);
            assertThat(again.json().path("errors").path(0).path("field").asText()).isEqualTo("session_id");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void unknown_flows_bad_session_ids_and_server_keys_are_refused(String name, Function<Void, Setup> open) {
        try (Setup setup = open.apply(null)) {
            TestServer server = setup.server();
            long flow = server.publishFlow(TestServer.example("hello.json"));
            JdbcConversations memory = new JdbcConversations(setup.database(), Clock.systemUTC());
            memory.append(task(server, flow), "agent", "kept", turn("a", "b"), 0, 0);

            TestServer.Answer unknown = server.get("/api/v1/flows/999999/sessions", ADMIN);
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.contentType()).startsWith("application/problem+json");
            assertThat(unknown.json().path("errors").path(0).path("field").asText()).isEqualTo("flow_id");
            assertThat(server.get("/api/v1/flows/999999/sessions/kept/messages", ADMIN).status()).isEqualTo(404);

            String tooLong = "s".repeat(201);
            TestServer.Answer longId = server.get("/api/v1/flows/" + flow + "/sessions/" + tooLong + "/messages",
                    ADMIN);
            assertThat(longId.status()).isEqualTo(400);
            assertThat(longId.json().path("errors").path(0).path("field").asText()).isEqualTo("session_id");
            assertThat(longId.json().path("detail").asText()).contains("201").contains("200");
            TestServer.Answer blank = server.send("DELETE", "/api/v1/flows/" + flow + "/sessions/%20", null, null,
                    ADMIN);
            assertThat(blank.status()).isEqualTo(400);
            assertThat(blank.json().path("errors").path(0).path("field").asText()).isEqualTo("session_id");

            String key = server.newKeyAuth("runner");
            assertThat(server.get("/api/v1/flows/" + flow + "/sessions", key).status()).isEqualTo(401);
            assertThat(server.send("DELETE", "/api/v1/flows/" + flow + "/sessions/kept", null, null, key).status())
                    .isEqualTo(401);
            assertThat(server.get("/api/v1/flows/" + flow + "/sessions", null).status()).isEqualTo(401);
            assertThat(server.get("/api/v1/flows/" + flow + "/sessions/kept/messages", ADMIN).json()
                    .path("messages")).as("nothing refused changed the session").hasSize(2);
        }
    }

    /** A chat flow: the agent keeps session {{start.session}} and asks the fake model at {@code model}. */
    private static String chatFlow(String model) {
        return """
                {"name": "chat", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {
                    "session": {"type": "string", "required": true}, "say": {"type": "string", "required": true}}}},
                  {"id": "agent", "type": "agent", "settings": {"provider": "openai", "base_url": "%s/v1",
                    "model": "fake", "user": "{{start.say}}", "session_id": "{{start.session}}", "stream": false}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"answer": {"type": "string"}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "agent", "fields_mapping": [{"from_field": "say", "to_field": "say"}]},
                  {"from_node": "agent", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "answer"}]}]}
                """.formatted(model);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void an_agent_with_a_session_id_continues_the_conversation_in_the_next_task(String name,
                                                                               Function<Void, Setup> open)
            throws Exception {
        List<JsonNode> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer model = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        // OpenAI chat completions, non-streamed: choices[0].message with role and content, finish_reason "stop"
        model.createContext("/v1/chat/completions", exchange -> {
            JsonNode body = Json.read(new String(exchange.getRequestBody().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8));
            asked.add(body);
            com.fasterxml.jackson.databind.node.ObjectNode answer = Json.object().put("id", "chatcmpl-" + asked.size())
                    .put("object", "chat.completion").put("model", "fake");
            answer.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
                    .putObject("message").put("role", "assistant").put("content", "answer " + asked.size());
            answer.putObject("usage").put("prompt_tokens", 3).put("completion_tokens", 2).put("total_tokens", 5);
            byte[] bytes = Json.bytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        model.start();
        try (Setup setup = open.apply(null)) {
            TestServer server = setup.server();
            long flow = server.publishFlow(chatFlow("http://127.0.0.1:" + model.getAddress().getPort()));
            for (String say : List.of("my name is Ada", "what is my name?")) {
                TestServer.Answer run = server.post("/api/v1/scade/flow/" + flow + "/execute",
                        "{\"node_settings\": {\"start\": {\"data\": {\"session\": \"ada-1\", \"say\": \""
                                + say + "\"}}}}", ADMIN);
                assertThat(run.status()).as(run.text()).isIn(200, 201, 202);
                JsonNode task = server.awaitTask(run.json().path("id").asLong(), ADMIN, Duration.ofSeconds(20));
                assertThat(task.path("status").asInt()).as("task %s", task).isEqualTo(3);
            }

            assertThat(asked).hasSize(2);
            assertThat(asked.get(1).path("messages").findValuesAsText("content"))
                    .as("the second task's model call carries the first task's turn")
                    .containsSubsequence("my name is Ada", "answer 1", "what is my name?");
            JsonNode messages = server.get("/api/v1/flows/" + flow + "/sessions/ada-1/messages", ADMIN).json();
            assertThat(messages.path("messages").findValuesAsText("content"))
                    .containsExactly("my name is Ada", "answer 1", "what is my name?", "answer 2");
            assertThat(server.get("/api/v1/flows/" + flow + "/sessions", ADMIN).json().path("sessions")
                    .findValuesAsText("session_id")).containsExactly("ada-1");
        } finally {
            model.stop(0);
        }
    }
}
