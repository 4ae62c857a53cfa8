package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Run;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code mcp} node: calls one tool of an MCP server configured in Weft and emits {@code result} (the tool's
 * structured content, else its text, parsed when it is JSON), {@code content} (the blocks as MCP gives them) and
 * {@code is_error}. A tool that reports an error fails the step with {@value #TOOL_ERROR} and the tool's text; an
 * unknown, unreachable or garbled server fails it with {@value McpTools#ERROR}. No thread waits for the answer.
 */
public final class McpNode implements NodeType {

    public static final String TYPE = "mcp";
    /** The error type of a tool that answered with {@code isError: true}. */
    public static final String TOOL_ERROR = "mcp_tool_error";

    private final McpTools tools;

    public McpNode(McpTools tools) {
        this.tools = tools;
    }

    @Override
    public String id() {
        return TYPE;
    }

    @Override
    public Run run() {
        return Run.async(this::runAsync);
    }

    public CompletionStage<NodeOutput> runAsync(NodeCall call) {
        ObjectNode settings = call.settings();
        String server = settings.get("server").asText();
        String tool = settings.get("tool").asText();
        ObjectNode arguments = settings.has("arguments") ? settings.get("arguments").deepCopy() : Json.object();
        Duration timeout = settings.path("timeout_ms").isIntegralNumber()
                ? Duration.ofMillis(settings.get("timeout_ms").asLong()) : call.timeout();
        CompletableFuture<McpTools.Result> pending = tools.forTask(call.taskId()).call(server, tool, arguments, timeout).toCompletableFuture();
        CompletableFuture<NodeOutput> answer = pending.thenApply(result -> outputOf(server, tool, result));
        // the step timed out or its task was cancelled: the engine cancels answer, and the call goes with it
        answer.whenComplete((output, failure) -> {
            if (answer.isCancelled()) pending.cancel(true);
        });
        return answer;
    }

    static NodeOutput outputOf(String server, String tool, McpTools.Result result) {
        String text = text(result.content());
        if (result.isError()) {
            throw new NodeException(TOOL_ERROR, "MCP server '" + server + "', tool '" + tool + "' reported an error: "
                    + (text.isEmpty() ? "(no text)" : text), false);
        }
        ObjectNode data = Json.object();
        data.set("result", result.structuredContent() != null ? result.structuredContent() : parsed(text));
        data.set("content", result.content() == null ? Json.MAPPER.createArrayNode() : result.content());
        data.put("is_error", false);
        return NodeOutput.success(data);
    }

    /** The text blocks of {@code content}, joined by new lines. */
    static String text(JsonNode content) {
        StringBuilder text = new StringBuilder();
        if (content != null) {
            for (JsonNode block : content) {
                if (!"text".equals(block.path("type").asText())) continue;
                if (!text.isEmpty()) text.append('\n');
                text.append(block.path("text").asText());
            }
        }
        return text.toString();
    }

    /** The text as JSON when it is a JSON object or array, else the text itself. */
    private static JsonNode parsed(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                return Json.read(trimmed);
            } catch (RuntimeException notJson) {
                // plain text that happens to start with a bracket
            }
        }
        return Json.MAPPER.getNodeFactory().textNode(text);
    }

    public NodeOutput run(NodeCall call) throws Exception {
        return Async.await(runAsync(call));
    }
}
