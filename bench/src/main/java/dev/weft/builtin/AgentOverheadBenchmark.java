package dev.weft.builtin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.Credentials;
import dev.weft.node.Deltas;
import dev.weft.node.Journal;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@code agent} node's own cost per iteration, model and tool time excluded: one step of {@code iterations}
 * model calls, the first {@code iterations - 1} each asking for two tool calls (parallel, an in-process MCP tool that
 * answers at once), the last answering text. The model answers instantly through the node's package-private
 * transport seam ({@link ModelTransport}) with the provider's real wire JSON, so everything the node does per turn
 * is measured: building the whole request body from the growing conversation (OpenAI's or Anthropic's format),
 * parsing the answer, checking the arguments against the tool's schema, recording each model answer and tool
 * result in the step's journal, the deltas, the output. Divide the score by {@code iterations}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AgentOverheadBenchmark {

    @Param({"openai", "anthropic"})
    public String provider;

    @Param({"10"})
    public int iterations;

    private AgentNode node;
    private ObjectNode settings;
    private byte[][] replies;
    private int next;

    @Setup
    public void setUp() {
        replies = new byte[iterations][];
        for (int i = 0; i < iterations - 1; i++) replies[i] = Json.bytes(toolAnswer(i));
        replies[iterations - 1] = Json.bytes(textAnswer());
        ModelTransport instant = (URI endpoint, Map<String, String> headers, byte[] body, long deadline,
                                  ModelTransport.Streamed streamed) ->
                CompletableFuture.completedFuture(new ModelTransport.Reply(200, Optional.empty(),
                        Optional.of("application/json"), replies[next++ % iterations], null));
        node = new AgentNode(new HttpNode.Options(true, 10 << 20, 0), Credentials.NONE, FlowRuns.local(),
                new InstantMcp(), Conversations.NONE, Knowledge.NONE, instant, Async.sharedTimer(), Clock.systemUTC());
        settings = Json.object().put("provider", provider).put("base_url", "http://127.0.0.1:9")
                .put("model", "bench-model").put("system", "You look things up.")
                .put("user", "Find the totals of orders A1 and B2.").put("max_iterations", iterations).put("stream", false);
        settings.putArray("tools").addObject().put("type", "mcp").put("server", "shop");
    }

    private ObjectNode toolAnswer(int turn) {
        if (provider.equals("anthropic")) {
            ObjectNode body = Json.object().put("id", "msg_" + turn).put("type", "message").put("role", "assistant")
                    .put("model", "bench-model").put("stop_reason", "tool_use");
            ArrayNode content = body.putArray("content");
            content.addObject().put("type", "text").put("text", "Looking up two orders.");
            for (int i = 0; i < 2; i++) {
                content.addObject().put("type", "tool_use").put("id", "toolu_" + turn + "_" + i)
                        .put("name", "order_total").putObject("input").put("order_id", "A" + turn + i);
            }
            body.putObject("usage").put("input_tokens", 300).put("output_tokens", 40);
            return body;
        }
        ObjectNode body = Json.object().put("id", "chatcmpl-" + turn).put("object", "chat.completion")
                .put("model", "bench-model");
        ObjectNode message = body.putArray("choices").addObject().put("index", 0).put("finish_reason", "tool_calls")
                .putObject("message").put("role", "assistant").putNull("content");
        ArrayNode calls = message.putArray("tool_calls");
        for (int i = 0; i < 2; i++) {
            calls.addObject().put("id", "call_" + turn + "_" + i).put("type", "function").putObject("function")
                    .put("name", "order_total").put("arguments", "{\"order_id\": \"A" + turn + i + "\"}");
        }
        body.putObject("usage").put("prompt_tokens", 300).put("completion_tokens", 40);
        return body;
    }

    private ObjectNode textAnswer() {
        String text = "A1 totals 120 and B2 totals 35.";
        if (provider.equals("anthropic")) {
            ObjectNode body = Json.object().put("id", "msg_end").put("type", "message").put("role", "assistant")
                    .put("model", "bench-model").put("stop_reason", "end_turn");
            body.putArray("content").addObject().put("type", "text").put("text", text);
            body.putObject("usage").put("input_tokens", 900).put("output_tokens", 12);
            return body;
        }
        ObjectNode body = Json.object().put("id", "chatcmpl-end").put("object", "chat.completion")
                .put("model", "bench-model");
        body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
                .putObject("message").put("role", "assistant").put("content", text);
        body.putObject("usage").put("prompt_tokens", 900).put("completion_tokens", 12);
        return body;
    }

    /** One step, all its model and tool calls: the score divided by {@code iterations} is the cost per turn. */
    @Benchmark
    public NodeOutput step() {
        next = 0;
        NodeCall call = new NodeCall(1, "agent", settings.deepCopy(), Json.object(), 1, Duration.ofSeconds(60),
                Journal.memory(), Deltas.NONE);
        return node.runAsync(call).toCompletableFuture().join();
    }

    /** An MCP server in process whose one tool answers at once. */
    private static final class InstantMcp implements McpTools {
        private final List<Tool> tools = List.of(new Tool("order_total", "The total of an order",
                Json.read("{\"type\": \"object\", \"required\": [\"order_id\"], \"properties\": {\"order_id\":"
                        + " {\"type\": \"string\", \"pattern\": \"^[A-Z][0-9]+$\"}}}")));

        @Override
        public CompletionStage<List<Tool>> tools(String server) {
            return CompletableFuture.completedFuture(tools);
        }

        @Override
        public CompletionStage<Result> call(String server, String tool, ObjectNode arguments, Duration timeout) {
            ObjectNode total = Json.object().put("order_id", arguments.path("order_id").asText()).put("total", 120);
            return CompletableFuture.completedFuture(new Result(Json.MAPPER.createArrayNode(), total, false));
        }
    }
}
