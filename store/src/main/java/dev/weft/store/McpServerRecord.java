package dev.weft.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One MCP server configured in Weft: how to reach it and the stored credentials its HTTP headers carry. Equal
 * records describe the same connection, so a session opened on one is still good for the other.
 *
 * @param name      its name, unique in its workspace, which flows use
 * @param transport {@link #HTTP} or {@link #STDIO}
 * @param url       the Streamable HTTP endpoint (http only, else null)
 * @param headers   HTTP header name to the name of the stored credential whose secret is its value (http only)
 * @param command   the program to start (stdio only, else null)
 * @param args      its arguments (stdio only)
 * @param version   1, and one more with each change
 * @param createdAt when it was configured
 * @param updatedAt   when it last changed
 * @param workspaceId the workspace it belongs to (its header credentials are that workspace's)
 */
public record McpServerRecord(String name, String transport, String url, Map<String, String> headers, String command,
                              List<String> args, int version, Instant createdAt, Instant updatedAt,
                              long workspaceId) {

    public static final String HTTP = "http";
    public static final String STDIO = "stdio";

    public McpServerRecord {
        headers = Map.copyOf(headers);
        args = List.copyOf(args);
    }

    /** What a client asks to store: the fields an API request sets. */
    public record Settings(String transport, String url, Map<String, String> headers, String command,
                           List<String> args) {}
}
