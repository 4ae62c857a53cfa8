package dev.weft.mcp;

import dev.weft.auth.Caller;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.ProtocolVersions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;

/**
 * Weft's MCP server logic behind the SDK's stateless handler interface: {@code initialize}, {@code ping},
 * {@code tools/list} (the flow tools the caller's key may run) and {@code tools/call} (runs one as a task). Nothing
 * is kept between requests, so any Weft process behind one database answers any request. The caller comes in the
 * transport context under {@link #CALLER}.
 */
public final class FlowToolsHandler implements McpStatelessServerHandler {

    /** The transport context's key for the authenticated {@link Caller}. */
    public static final String CALLER = "dev.weft.caller";
    /** Protocol versions this server speaks, newest first; an initialize asking for another gets the newest. */
    public static final List<String> VERSIONS = List.of(ProtocolVersions.MCP_2025_11_25,
            ProtocolVersions.MCP_2025_06_18, ProtocolVersions.MCP_2025_03_26, ProtocolVersions.MCP_2024_11_05);

    private final FlowToolIndex index;
    private final FlowToolCalls calls;
    private final McpJsonMapper mapper;
    private final String version;

    public FlowToolsHandler(FlowToolIndex index, FlowToolCalls calls, McpJsonMapper mapper, String version) {
        this.index = index;
        this.calls = calls;
        this.mapper = mapper;
        this.version = version;
    }

    @Override
    public Mono<McpSchema.JSONRPCResponse> handleRequest(McpTransportContext context, McpSchema.JSONRPCRequest request) {
        Caller caller = (Caller) context.get(CALLER);
        Object id = request.id();
        return switch (request.method()) {
            case McpSchema.METHOD_INITIALIZE -> Mono.just(McpSchema.JSONRPCResponse.result(id, initialize(request)));
            case McpSchema.METHOD_PING -> Mono.just(McpSchema.JSONRPCResponse.result(id, Map.of()));
            case McpSchema.METHOD_TOOLS_LIST -> Mono.just(McpSchema.JSONRPCResponse.result(id,
                    new McpSchema.ListToolsResult(index.visibleTo(caller).stream().map(FlowToolsHandler::tool).toList(),
                            null)));
            case McpSchema.METHOD_TOOLS_CALL -> Mono.fromFuture(() -> call(request, caller));
            default -> Mono.just(error(id, McpSchema.ErrorCodes.METHOD_NOT_FOUND, "Method not found: "
                    + request.method() + " (this server offers tools only: initialize, ping, tools/list, tools/call)"));
        };
    }

    /** Notifications ({@code notifications/initialized}, {@code notifications/cancelled}) need nothing here. */
    @Override
    public Mono<Void> handleNotification(McpTransportContext context, McpSchema.JSONRPCNotification notification) {
        return Mono.empty();
    }

    private McpSchema.InitializeResult initialize(McpSchema.JSONRPCRequest request) {
        Object asked = request.params() instanceof Map<?, ?> params ? params.get("protocolVersion") : null;
        String agreed = asked instanceof String text && VERSIONS.contains(text) ? text : VERSIONS.get(0);
        return new McpSchema.InitializeResult(agreed, McpSchema.ServerCapabilities.builder().tools(false).build(),
                new McpSchema.Implementation("weft", "Weft", version),
                "Each tool runs a published Weft flow as a task and answers with the flow's outputs.");
    }

    private CompletableFuture<McpSchema.JSONRPCResponse> call(McpSchema.JSONRPCRequest request, Caller caller) {
        Object id = request.id();
        McpSchema.CallToolRequest params;
        try {
            if (!(request.params() instanceof Map<?, ?> raw)) throw new IllegalArgumentException("params must be an object");
            if (!(raw.get("name") instanceof String)) throw new IllegalArgumentException("params.name must be a string");
            Object arguments = raw.get("arguments");
            if (arguments != null && !(arguments instanceof Map)) {
                throw new IllegalArgumentException("params.arguments must be an object");
            }
            params = mapper.convertValue(raw, McpSchema.CallToolRequest.class);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(error(id, McpSchema.ErrorCodes.INVALID_PARAMS,
                    "Invalid params: " + e.getMessage()));
        }
        return index.find(params.name(), caller)
                .map(tool -> calls.call(tool, params.arguments(), caller)
                        .thenApply(result -> McpSchema.JSONRPCResponse.result(id, result)))
                .orElseGet(() -> CompletableFuture.completedFuture(error(id, McpSchema.ErrorCodes.INVALID_PARAMS,
                        "Unknown tool: '" + params.name() + "' is not a tool this credential may call")));
    }

    private static McpSchema.Tool tool(FlowTool tool) {
        McpSchema.Tool.Builder builder = McpSchema.Tool.builder().name(tool.name()).description(tool.description())
                .inputSchema(FlowTool.asMap(tool.inputSchema()));
        if (tool.title() != null) builder.title(tool.title());
        if (tool.outputSchema() != null) builder.outputSchema(FlowTool.asMap(tool.outputSchema()));
        return builder.build();
    }

    static McpSchema.JSONRPCResponse error(Object id, int code, String message) {
        return McpSchema.JSONRPCResponse.error(id, new McpSchema.JSONRPCResponse.JSONRPCError(code, message, null));
    }
}
