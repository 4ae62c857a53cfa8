package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.NodeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The MCP servers configured in Weft, as the {@code mcp} and {@code agent} nodes reach them: list a server's
 * tools, call one. The server implements it with the MCP client over its stored server list (Streamable HTTP, and
 * stdio commands from the admin's allow-list); a process without one ({@code weft run FILE}) uses {@link #NONE}.
 * Failures are {@link NodeException}s whose message names the server (and tool).
 */
public interface McpTools {

    /** The error type of an MCP server that is unknown, down, or answers what MCP does not allow. */
    String ERROR = "mcp_error";

    /** No MCP servers: every call fails with {@link #ERROR}. */
    McpTools NONE = new McpTools() {
        @Override
        public CompletionStage<List<Tool>> tools(String server) {
            return CompletableFuture.failedFuture(new NodeException(ERROR, "MCP server '" + server
                    + "': no MCP servers are configured here", false));
        }

        @Override
        public CompletionStage<Result> call(String server, String tool, ObjectNode arguments, Duration timeout) {
            return tools(server).thenApply(tools -> null);
        }
    };

    /**
     * One tool a server offers, as its {@code tools/list} describes it.
     *
     * @param name        the tool's name
     * @param description what it does, for the model
     * @param inputSchema the JSON Schema of its arguments
     */
    record Tool(String name, String description, JsonNode inputSchema) {}

    /**
     * A tool's answer: its {@code content} blocks, its {@code structuredContent} (null when it gave none), and
     * whether it reported an error ({@code isError}: the call worked, the tool did not).
     *
     * @param content           the content blocks, as MCP gives them
     * @param structuredContent the structured result, or null
     * @param isError           true when the tool reported a failure
     */
    record Result(JsonNode content, JsonNode structuredContent, boolean isError) {}

    /**
     * The tools of the server named {@code server}.
     *
     * @param server a configured server's name
     * @return its tools; fails with {@link #ERROR} when the server is unknown or does not answer
     */
    CompletionStage<List<Tool>> tools(String server);

    /**
     * Calls one tool.
     *
     * @param server    a configured server's name
     * @param tool      the tool's name
     * @param arguments its arguments
     * @param timeout   how long to wait for the answer
     * @return the tool's answer; fails with {@link #ERROR} when the server is unknown, down, or answers garbage
     */
    CompletionStage<Result> call(String server, String tool, ObjectNode arguments, Duration timeout);

    /**
     * These servers as task {@code taskId} sees them: on a server with workspaces, those of the task's workspace.
     * Nodes use this view for every list and call of a step.
     *
     * @param taskId the task whose step asks
     * @return the task's view of the servers
     */
    default McpTools forTask(long taskId) {
        return this;
    }
}
