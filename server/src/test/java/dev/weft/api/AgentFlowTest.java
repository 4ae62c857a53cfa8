package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * examples/agent.json on a real server, through the Scade-compatible run API: the agent's flow tool runs the
 * published hello flow as a child task linked to the agent's task, its HTTP tool reaches a loopback endpoint, and a
 * fake OpenAI-compatible model (the chat completions wire format with parallel {@code tool_calls}, as in the
 * builtin module's AgentNodeTest) drives the loop.
 */
class AgentFlowTest {

    static final Duration LIMIT = Duration.ofSeconds(20);
    static TestServer server;
    static String key;
    static final MockWebServer model = new MockWebServer();
    static final MockWebServer weather = new MockWebServer();

    @BeforeAll
    static void start() throws Exception {
        model.start(InetAddress.getByName("127.0.0.1"), 0);
        weather.start(InetAddress.getByName("127.0.0.1"), 0);
        server = TestServer.start();
        key = server.newKeyAuth("tests");
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
        weather.close();
    }

    private static MockResponse completion(ObjectNode message, String finish) {
        ObjectNode body = Json.object().put("id", "chatcmpl-9").put("object", "chat.completion")
                .put("created", 1764000000).put("model", "llama3.1");
        body.putArray("choices").addObject().put("index", 0).put("finish_reason", finish).set("message", message);
        body.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 10).put("total_tokens", 110);
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body(Json.write(body)).build();
    }

    @Test
    void an_agent_calls_a_published_flow_as_a_child_task_and_an_http_tool_then_answers() throws Exception {
        long hello = server.publishFlow(TestServer.example("hello.json"));
        String document = TestServer.example("agent.json")
                .replace("\"flow_id\": 1,", "\"flow_id\": " + hello + ",")
                .replace("http://localhost:11434/v1", "http://127.0.0.1:" + model.getPort() + "/v1")
                .replace("https://wttr.in", "http://127.0.0.1:" + weather.getPort());
        long agent = server.publishFlow(document);
        ObjectNode asks = Json.object().put("role", "assistant").putNull("content");
        ArrayNode calls = asks.putArray("tool_calls");
        calls.addObject().put("id", "call_greet").put("type", "function").putObject("function")
                .put("name", "greet").put("arguments", "{\"name\": \"Ada\"}");
        calls.addObject().put("id", "call_weather").put("type", "function").putObject("function")
                .put("name", "weather").put("arguments", "{\"city\": \"Paris\"}");
        model.enqueue(completion(asks, "tool_calls"));
        model.enqueue(completion(Json.object().put("role", "assistant").put("content",
                "Hello, Ada! Paris is mild: a light jacket will do."), "stop"));
        weather.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/plain; charset=utf-8")
                .body("Paris: +14°C").build());

        TestServer.Answer started = server.post("/api/v1/scade/flow/" + agent + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": {\"question\": \"I am Ada in Paris.\"}}}}", key);
        assertThat(started.status()).as(started.text()).isEqualTo(200);
        long parent = started.json().path("id").asLong();
        JsonNode done = server.awaitTask(parent, key, LIMIT);

        assertThat(done.path("status").asInt()).as(done.toString()).isEqualTo(3);
        JsonNode result = done.path("result");
        assertThat(result.path("answer").asText()).isEqualTo("Hello, Ada! Paris is mild: a light jacket will do.");
        assertThat(result.path("usage").path("total_tokens").asInt()).isEqualTo(220);
        JsonNode greet = result.path("tool_calls").get(0);
        assertThat(greet.path("name").asText()).isEqualTo("greet");
        assertThat(greet.path("result")).isEqualTo(Json.read("{\"greeting\": \"Hello, Ada!\"}"));
        assertThat(result.path("tool_calls").get(1).path("result").asText()).isEqualTo("Paris: +14°C");
        long child = greet.path("task_id").asLong();
        JsonNode childTask = server.get("/api/v1/task/" + child, key).json();
        assertThat(childTask.path("parent_task_id").asLong()).isEqualTo(parent);
        assertThat(childTask.path("flow_id").asLong()).isEqualTo(hello);
        assertThat(childTask.path("status").asInt()).isEqualTo(3);

        RecordedRequest first = model.takeRequest(5, TimeUnit.SECONDS);
        assertThat(Json.read(first.getBody().utf8()).path("tools")).extracting(t -> t.path("function").path("name")
                .asText()).containsExactly("greet", "weather");
        assertThat(weather.takeRequest(5, TimeUnit.SECONDS).getTarget()).isEqualTo("/Paris?format=3");
        JsonNode second = Json.read(model.takeRequest(5, TimeUnit.SECONDS).getBody().utf8());
        assertThat(second.path("messages")).extracting(m -> m.path("role").asText())
                .containsExactly("system", "user", "assistant", "tool", "tool");
    }

    @Test
    void an_agent_whose_tool_names_no_flow_id_is_refused_at_save_naming_the_field() {
        String document = TestServer.example("agent.json").replace("\"flow_id\": 1, ", "");
        TestServer.Answer answer = server.post("/api/v1/flows", document, TestServer.ADMIN_AUTH);
        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.text()).contains("tools[0].flow_id").contains("is required for a flow tool");
    }
}
