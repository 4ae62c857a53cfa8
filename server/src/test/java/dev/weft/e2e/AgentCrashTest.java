package dev.weft.e2e;

import dev.weft.builtin.FakeModel;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.Polls;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weft.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's headline, with the real {@code agent} node: a {@code weft serve} process is killed with SIGKILL while
 * the agent's loop is mid-way, a second process on the same data resumes the task, and neither the fake model nor
 * the tool receives again a request it had answered.
 *
 * <p>The fake model speaks OpenAI's chat completions with function calling (non-streamed; the response shape is
 * that of https://platform.openai.com/docs/api-reference/chat/object: {@code choices[0].message.tool_calls[]} with
 * {@code id}, {@code type: "function"}, {@code function.name}, {@code function.arguments} as a JSON string, and
 * {@code finish_reason: "tool_calls"}). It asks for one call of the HTTP tool {@code lookup} per turn until the
 * conversation holds {@link #TOOL_TURNS} tool results, then answers. Requests are counted by their conversation
 * (the {@code messages} array: the prefix the model is asked to continue), tool calls by their argument. The model
 * kills the process when its {@code killAt}-th request arrives, before answering it.
 *
 * <p>{@code -Dweft.crash.runs=20} repeats it, killing at each turn in turn: bench/agent-crash.sh.
 */
class AgentCrashTest {

    static final String ADMIN = "agent-crash-admin";
    static final int TOOL_TURNS = 4;

    static final class FakeModel implements AutoCloseable {
        final HttpServer server;
        final ExecutorService threads = Executors.newCachedThreadPool();
        final Map<String, Integer> requests = new HashMap<>();
        final Map<String, Integer> answered = new HashMap<>();
        final Map<String, Integer> toolCalls = new HashMap<>();
        int count;
        int repeatedModel;
        int repeatedTool;
        final int killAt;
        final CountDownLatch killNow = new CountDownLatch(1);
        final CountDownLatch killed = new CountDownLatch(1);

        FakeModel(int killAt) throws IOException {
            this.killAt = killAt;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(threads);
            server.createContext("/v1/chat/completions", this::chat);
            server.createContext("/tool/", this::tool);
            server.start();
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void chat(HttpExchange exchange) throws IOException {
            JsonNode body = Json.read(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String prefix = Json.write(body.path("messages"));
            int number;
            synchronized (this) {
                number = ++count;
                requests.merge(prefix, 1, Integer::sum);
                if (answered.containsKey(prefix)) repeatedModel++;
            }
            if (number == killAt) {
                killNow.countDown();
                await(killed);
                exchange.close();
                return;
            }
            int results = 0;
            for (JsonNode message : body.path("messages")) if ("tool".equals(message.path("role").asText())) results++;
            ObjectNode answer = Json.object().put("id", "chatcmpl-" + number).put("object", "chat.completion")
                    .put("model", body.path("model").asText());
            ObjectNode choice = answer.putArray("choices").addObject().put("index", 0);
            ObjectNode message = choice.putObject("message").put("role", "assistant");
            if (results < TOOL_TURNS) {
                message.putNull("content");
                ObjectNode call = message.putArray("tool_calls").addObject().put("id", "call_" + results)
                        .put("type", "function");
                call.putObject("function").put("name", "lookup")
                        .put("arguments", Json.write(Json.object().put("q", "q" + results)));
                choice.put("finish_reason", "tool_calls");
            } else {
                message.put("content", "done after " + results + " lookups");
                choice.put("finish_reason", "stop");
            }
            answer.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15);
            synchronized (this) {
                answered.merge(prefix, 1, Integer::sum);
            }
            reply(exchange, answer);
        }

        private void tool(HttpExchange exchange) throws IOException {
            String q = exchange.getRequestURI().getPath().substring("/tool/".length());
            exchange.getRequestBody().readAllBytes();
            synchronized (this) {
                if (toolCalls.containsKey(q)) repeatedTool++;
                toolCalls.merge(q, 1, Integer::sum);
            }
            reply(exchange, Json.object().put("answer", "result of " + q));
        }

        private static void reply(HttpExchange exchange, JsonNode body) throws IOException {
            byte[] bytes = Json.bytes(body);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        private static void await(CountDownLatch latch) {
            try {
                latch.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            killed.countDown();
            server.stop(0);
            threads.shutdownNow();
        }
    }

    record Outcome(int repeatedModel, int repeatedTool, int modelRequests, int toolCalls) {}

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void an_agent_killed_with_sigkill_mid_loop_resumes_without_repeating_a_finished_model_or_tool_call()
            throws Exception {
        int runs = Integer.getInteger("weft.crash.runs", 1);
        List<Outcome> outcomes = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            int killAt = runs == 1 ? 3 : 2 + run % TOOL_TURNS;   // model requests 2..5: every turn after the first
            Outcome outcome = killAndResume(killAt);
            outcomes.add(outcome);
            System.out.printf("weft.agent-crash run %d (killed at model request %d): %s%n", run + 1, killAt, outcome);
        }
        int repeatedModel = outcomes.stream().mapToInt(Outcome::repeatedModel).sum();
        int repeatedTool = outcomes.stream().mapToInt(Outcome::repeatedTool).sum();
        System.out.printf("weft.agent-crash: %d run(s) killed with SIGKILL mid-loop: repeated finished model calls %d,"
                + " repeated finished tool calls %d, model requests %d (one unanswered per run), tool calls %d%n",
                runs, repeatedModel, repeatedTool, outcomes.stream().mapToInt(Outcome::modelRequests).sum(),
                outcomes.stream().mapToInt(Outcome::toolCalls).sum());
        assertThat(repeatedModel).isZero();
        assertThat(repeatedTool).isZero();
    }

    private Outcome killAndResume(int killAt) throws Exception {
        Path data = Files.createTempDirectory("weft-agent-crash");
        try (FakeModel fake = new FakeModel(killAt)) {
            long taskId;
            WeftProcess first = WeftProcess.start(data, ADMIN, Map.of());
            try {
                long flowId = call(first.base(), "POST", "/api/v1/flows", flow(fake.base())).path("id").asLong();
                call(first.base(), "POST", "/api/v1/flows/" + flowId + "/publish", "");
                taskId = call(first.base(), "POST", "/api/v1/scade/flow/" + flowId + "/execute",
                        "{\"node_settings\": {\"start\": {\"data\": {\"question\": \"where to?\"}}}}")
                        .path("id").asLong();
                assertThat(fake.killNow.await(60, TimeUnit.SECONDS)).as("the agent reached model call " + killAt)
                        .isTrue();
            } finally {
                first.kill();
                fake.killed.countDown();
            }
            synchronized (fake) {
                assertThat(fake.count).as("nothing reached the model after the kill").isEqualTo(killAt);
                assertThat(fake.toolCalls).as("the tool calls made before the kill").hasSize(killAt - 1);
            }
            try (WeftProcess second = WeftProcess.start(data, ADMIN, Map.of())) {
                JsonNode task = awaitDone(second.base(), taskId);
                assertThat(task.path("status").asInt()).as("task %s", task).isEqualTo(3);
                assertThat(task.path("result").path("answer").asText())
                        .isEqualTo("done after " + TOOL_TURNS + " lookups");
            }
            synchronized (fake) {
                assertThat(fake.answered.values()).as("each conversation prefix answered once")
                        .hasSize(TOOL_TURNS + 1).allMatch(n -> n == 1);
                assertThat(fake.toolCalls.values()).as("each tool call made once").hasSize(TOOL_TURNS)
                        .allMatch(n -> n == 1);
                assertThat(fake.requests.values().stream().filter(n -> n > 1).count())
                        .as("only the request cut by the kill is sent again").isEqualTo(1);
                return new Outcome(fake.repeatedModel, fake.repeatedTool, fake.count,
                        fake.toolCalls.values().stream().mapToInt(Integer::intValue).sum());
            }
        }
    }

    private static String flow(String fake) {
        return """
                {"name": "agent crash", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"question": {"type": "string", "required": true}}}},
                  {"id": "agent", "type": "agent", "settings": {"provider": "openai", "base_url": "%s/v1",
                    "model": "fake-model", "user": "{{start.question}}", "max_iterations": 10, "stream": false,
                    "tools": [{"type": "http", "name": "lookup", "description": "Looks a word up.",
                               "method": "GET", "url": "%s/tool/{{q}}",
                               "parameters": {"type": "object", "required": ["q"], "properties": {"q": {"type": "string"}}}}]}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"answer": {"type": "string"}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "agent", "fields_mapping": [{"from_field": "question", "to_field": "question"}]},
                  {"from_node": "agent", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "answer"}]}]}
                """.formatted(fake, fake);
    }

    private JsonNode awaitDone(String base, long id) {
        return Polls.until("task " + id + " finished", Duration.ofSeconds(60), Duration.ofMillis(10),
                () -> call(base, "GET", "/api/v1/task/" + id, null), task -> task.path("status").asInt() >= 3);
    }

    private JsonNode call(String base, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + ADMIN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && !body.isEmpty()) request.header("Content-Type", "application/json");
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) throw new AssertionError(method + " " + path + ": " + response.body());
        return Json.read(response.body());
    }
}
