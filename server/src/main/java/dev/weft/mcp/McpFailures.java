package dev.weft.mcp;

import dev.weft.builtin.McpTools;
import dev.weft.node.NodeException;
import io.modelcontextprotocol.spec.McpError;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

/** Turns what the MCP SDK throws into a {@link NodeException} whose message names the server and tool. */
final class McpFailures {

    private McpFailures() {}

    /**
     * The failure as a step error: {@code where} names the server (and tool); the message says what happened in
     * words (down, no answer in time, an MCP error, an answer MCP does not allow).
     */
    static NodeException of(Throwable failure, String where, String endpoint) {
        if (failure instanceof NodeException e) return e;
        Throwable root = McpError.findRootCause(failure);
        if (failure instanceof McpError mcp && mcp.getJsonRpcError() != null) {
            return new NodeException(McpTools.ERROR, where + " answered with an error: " + mcp.getMessage(), false);
        }
        if (root instanceof ConnectException || root instanceof ClosedChannelException
                || root instanceof HttpConnectTimeoutException) {
            return new NodeException(McpTools.ERROR, where + " is down: no connection to " + endpoint, true);
        }
        if (failure instanceof TimeoutException || root instanceof TimeoutException) {
            return new NodeException(McpTools.ERROR, where + " did not answer in time", true);
        }
        String message = root instanceof java.io.IOException ? dev.weft.node.NetworkFailure.describe(root, endpoint)
                : dev.weft.node.NetworkFailure.message(root);
        return new NodeException(McpTools.ERROR, where + " did not answer as an MCP server (" + endpoint + "): "
                + shorten(message), true);
    }

    private static String shorten(String message) {
        return message.length() <= 300 ? message : message.substring(0, 300) + "...";
    }
}
