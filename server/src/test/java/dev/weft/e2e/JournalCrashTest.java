package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weft.json.Json;
import dev.weft.plugin.PluginJars;
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
import java.time.Instant;
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
 * The headline of durable runs: a real {@code weft serve} is killed with SIGKILL in the middle of a model/tool loop,
 * a new process on the same data resumes the task, and no model call or tool call that had finished is made again.
 *
 * <p>The loop is a test-only node type ({@code crashloop}) installed as a plugin jar, as a plugin author would:
 * each iteration asks a fake model (real HTTP on loopback, in this test) for a tool call with the conversation so
 * far, runs the tool (a second loopback endpoint), and appends both, each through the step's journal
 * ({@code journal.once("model:i")}, {@code journal.once("tool:<id>")}), as the {@code agent} node does. The fake
 * model kills the Weft process when a chosen request arrives, before answering it; that request was never answered,
 * so the resumed loop sends it again, and it is the only one sent twice.
 *
 * <p>{@code -Dweft.crash.runs=20} repeats the scenario (killing at each iteration in turn) and prints the repeated
 * finished calls: the figure of docs/benchmarks.md ("Issue 11: agent runs after kill -9"), bench/agent-crash.sh.
 */
class JournalCrashTest {

    static final String ADMIN = "crash-admin";
    static final int ITERATIONS = 5;

    /** The loop node: plain Java against the node SDK and Jackson, compiled into a plugin jar by the test. */
    static final String LOOP_NODE = """
            package crash;

            import com.fasterxml.jackson.databind.JsonNode;
            import com.fasterxml.jackson.databind.ObjectMapper;
            import com.fasterxml.jackson.databind.node.ArrayNode;
            import com.fasterxml.jackson.databind.node.JsonNodeFactory;
            import com.fasterxml.jackson.databind.node.ObjectNode;
            import dev.weft.node.NodeCall;
            import dev.weft.node.NodeException;
            import dev.weft.node.NodeOutput;
            import dev.weft.node.NodeType;
            import dev.weft.node.Run;
            import java.net.URI;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;
            import java.util.concurrent.CompletionException;
            import java.util.concurrent.CompletionStage;

            public final class LoopNode implements NodeType {
                private static final ObjectMapper JSON = new ObjectMapper();
                private final HttpClient http = HttpClient.newHttpClient();

                public String id() { return "crashloop"; }

                public Run run() { return Run.blocking(this::loop); }

                NodeOutput loop(NodeCall call) throws Exception {
                    String model = call.settings().path("model_url").asText();
                    String tool = call.settings().path("tool_url").asText();
                    int iterations = call.settings().path("iterations").asInt();
                    ArrayNode conversation = JsonNodeFactory.instance.arrayNode();
                    conversation.add(call.inputs().path("prompt").asText());
                    for (int i = 0; i < iterations; i++) {
                        String asked = JSON.writeValueAsString(conversation);
                        JsonNode answer = call.journal().once("model:" + i, () -> post(model, asked))
                                .toCompletableFuture().get();
                        conversation.add(answer);
                        JsonNode toolCall = answer.path("tool_call");
                        String arguments = JSON.writeValueAsString(toolCall);
                        JsonNode result = call.journal().once("tool:" + toolCall.path("id").asText(),
                                () -> post(tool, arguments)).toCompletableFuture().get();
                        conversation.add(result);
                    }
                    ObjectNode out = JsonNodeFactory.instance.objectNode();
                    out.set("conversation", conversation);
                    return NodeOutput.success(out);
                }

                private CompletionStage<JsonNode> post(String url, String body) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
                        if (response.statusCode() != 200) {
                            throw new CompletionException(new NodeException("upstream",
                                    url + " answered " + response.statusCode(), true));
                        }
                        try {
                            return JSON.readTree(response.body());
                        } catch (Exception e) {
                            throw new CompletionException(e);
                        }
                    });
                }
            }
            """;
    static final String CATALOGUE = """
            {"title": "Crash loop", "category": "ai", "description": "Test-only model/tool loop.",
             "inputs": ["prompt"], "outputs": ["conversation"], "fixed_outputs": true,
             "settings": {"type": "object", "required": ["model_url", "tool_url", "iterations"],
               "properties": {"model_url": {"type": "string"}, "tool_url": {"type": "string"},
                              "iterations": {"type": "integer", "minimum": 1}}}}""";

    /**
     * The fake model and the tool, on one loopback server. The model answers a conversation of {@code 1 + 2i}
     * entries with tool call {@code call_i}; the tool answers {@code result_i}. Every request is counted by its
     * conversation (model) or call id (tool), and whether it had been answered before.
     */
    static final class Fakes implements AutoCloseable {
        final HttpServer server;
        final ExecutorService threads = Executors.newCachedThreadPool();
        final Map<String, Integer> modelRequests = new HashMap<>();
        final Map<String, Integer> modelAnswered = new HashMap<>();
        final Map<String, Integer> toolRequests = new HashMap<>();
        final Map<String, Integer> toolAnswered = new HashMap<>();
        int modelCount;
        int repeatedModel;
        int repeatedTool;
        /** The model request (1-based) at which the process is killed, before it is answered. */
        final int killAt;
        final CountDownLatch killNow = new CountDownLatch(1);
        final CountDownLatch killed = new CountDownLatch(1);

        Fakes(int killAt) throws IOException {
            this.killAt = killAt;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(threads);
            server.createContext("/model", this::model);
            server.createContext("/tool", this::tool);
            server.start();
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void model(HttpExchange exchange) throws IOException {
            String conversation = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int number;
            synchronized (this) {
                number = ++modelCount;
                modelRequests.merge(conversation, 1, Integer::sum);
                if (modelAnswered.containsKey(conversation)) repeatedModel++;
            }
            if (number == killAt) {
                killNow.countDown();
                await(killed);   // the process dies with this request unanswered
                exchange.close();
                return;
            }
            int i = (Json.read(conversation).size() - 1) / 2;
            ObjectNode answer = Json.object();
            answer.putObject("tool_call").put("id", "call_" + i).put("query", "q" + i);
            synchronized (this) {
                modelAnswered.merge(conversation, 1, Integer::sum);
            }
            reply(exchange, answer);
        }

        private void tool(HttpExchange exchange) throws IOException {
            JsonNode call = Json.read(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String id = call.path("id").asText();
            synchronized (this) {
                toolRequests.merge(id, 1, Integer::sum);
                if (toolAnswered.containsKey(id)) repeatedTool++;
                toolAnswered.merge(id, 1, Integer::sum);
            }
            reply(exchange, Json.object().put("result", "result_" + id.substring("call_".length())));
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

    /** What one kill -9 run saw. */
    record Outcome(int repeatedModel, int repeatedTool, int modelRequests, int toolRequests) {}

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void a_loop_killed_with_sigkill_resumes_in_a_new_process_without_repeating_a_finished_model_or_tool_call()
            throws Exception {
        int runs = Integer.getInteger("weft.crash.runs", 1);
        List<Outcome> outcomes = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            int killAt = runs == 1 ? 3 : 2 + run % (ITERATIONS - 1);   // 2..5: mid-way through each iteration
            Outcome outcome = killAndResume(killAt);
            outcomes.add(outcome);
            System.out.printf("weft.crash run %d (killed at model request %d): %s%n", run + 1, killAt, outcome);
        }
        int repeatedModel = outcomes.stream().mapToInt(Outcome::repeatedModel).sum();
        int repeatedTool = outcomes.stream().mapToInt(Outcome::repeatedTool).sum();
        System.out.printf("weft.crash: %d run(s) killed with SIGKILL mid-loop: repeated finished model calls %d, "
                + "repeated finished tool calls %d, model requests %d (one unanswered per run), tool requests %d%n",
                runs, repeatedModel, repeatedTool, outcomes.stream().mapToInt(Outcome::modelRequests).sum(),
                outcomes.stream().mapToInt(Outcome::toolRequests).sum());
        assertThat(repeatedModel).isZero();
        assertThat(repeatedTool).isZero();
    }

    private Outcome killAndResume(int killAt) throws Exception {
        Path data = Files.createTempDirectory("weft-crash");
        PluginJars.build(Map.of("crash/LoopNode.java", LOOP_NODE), Map.of(
                "META-INF/services/dev.weft.node.NodeType", "crash.LoopNode\n",
                "crash/catalogue/crashloop.json", CATALOGUE), data.resolve("plugins").resolve("crash.jar"));
        try (Fakes fakes = new Fakes(killAt)) {
            long taskId;
            WeftProcess first = WeftProcess.start(data, ADMIN, Map.of());
            try {
                long flowId = call(first.base(), "POST", "/api/v1/flows", flow(fakes.base())).path("id").asLong();
                call(first.base(), "POST", "/api/v1/flows/" + flowId + "/publish", "");
                taskId = call(first.base(), "POST", "/api/v1/scade/flow/" + flowId + "/execute",
                        "{\"node_settings\": {\"start\": {\"data\": {\"prompt\": \"plan a trip\"}}}}")
                        .path("id").asLong();
                assertThat(fakes.killNow.await(60, TimeUnit.SECONDS)).as("the loop reached model call " + killAt)
                        .isTrue();
            } finally {
                first.kill();
                fakes.killed.countDown();
            }
            synchronized (fakes) {
                assertThat(fakes.modelCount).as("nothing more reached the model after the kill").isEqualTo(killAt);
                assertThat(fakes.toolRequests).as("the tool calls finished before the kill").hasSize(killAt - 1);
            }

            try (WeftProcess second = WeftProcess.start(data, ADMIN, Map.of())) {
                JsonNode task = awaitDone(second.base(), taskId);
                assertThat(task.path("status").asInt()).as("task %s", task).isEqualTo(3);
                assertThat(task.path("result").path("conversation")).isEqualTo(expected());
                JsonNode journal = call(second.base(), "GET", "/api/v1/task/" + taskId + "/steps/loop/journal", null);
                List<String> keys = new ArrayList<>();
                journal.path("entries").forEach(e -> keys.add(e.path("key").asText()));
                List<String> expectedKeys = new ArrayList<>();
                for (int i = 0; i < ITERATIONS; i++) {
                    expectedKeys.add("model:" + i);
                    expectedKeys.add("tool:call_" + i);
                }
                assertThat(keys).as("the step's trace, in order, across both processes").isEqualTo(expectedKeys);
            }
            synchronized (fakes) {
                assertThat(fakes.modelAnswered.values()).as("each conversation answered once").hasSize(ITERATIONS)
                        .allMatch(n -> n == 1);
                assertThat(fakes.toolRequests.values()).as("each tool call made once").hasSize(ITERATIONS)
                        .allMatch(n -> n == 1);
                int sentTwice = (int) fakes.modelRequests.values().stream().filter(n -> n > 1).count();
                assertThat(sentTwice).as("only the request cut by the kill is sent again").isEqualTo(1);
                return new Outcome(fakes.repeatedModel, fakes.repeatedTool, fakes.modelCount,
                        fakes.toolRequests.values().stream().mapToInt(Integer::intValue).sum());
            }
        }
    }

    private static ArrayNode expected() {
        ArrayNode conversation = Json.MAPPER.createArrayNode().add("plan a trip");
        for (int i = 0; i < ITERATIONS; i++) {
            ObjectNode answer = conversation.addObject();
            answer.putObject("tool_call").put("id", "call_" + i).put("query", "q" + i);
            conversation.addObject().put("result", "result_" + i);
        }
        return conversation;
    }

    private static String flow(String fakes) {
        return """
                {"name": "crash loop", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"prompt": {"type": "string", "required": true}}}},
                  {"id": "loop", "type": "crashloop", "settings": {"model_url": "%s/model", "tool_url": "%s/tool",
                                                                  "iterations": %d}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"conversation": {"type": "array"}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "loop", "fields_mapping": [{"from_field": "prompt", "to_field": "prompt"}]},
                  {"from_node": "loop", "to_node": "end", "fields_mapping": [{"from_field": "conversation", "to_field": "conversation"}]}]}
                """.formatted(fakes, fakes, ITERATIONS);
    }

    private JsonNode awaitDone(String base, long id) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            JsonNode task = call(base, "GET", "/api/v1/task/" + id, null);
            if (task.path("status").asInt() >= 3 || Instant.now().isAfter(deadline)) return task;
            Thread.sleep(10);   // poll interval of a client
        }
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
