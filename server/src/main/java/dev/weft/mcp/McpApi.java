package dev.weft.mcp;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.auth.Caller;
import dev.weft.auth.Callers;
import dev.weft.http.ApiException;
import dev.weft.json.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * {@code /mcp}: MCP's Streamable HTTP transport, stateless, on Weft's own HTTP server. A POST carries one JSON-RPC
 * message: a request is answered with one JSON response ({@code application/json}, never held open as a stream), a
 * notification or response with 202. GET (a server-to-client stream) and DELETE (ending a session) answer 405:
 * this server keeps no sessions and sends nothing unasked. The caller is checked first, on every method: a server
 * key as {@code Bearer} or {@code Basic}, or the admin token; 401 with {@code WWW-Authenticate} otherwise.
 * Malformed messages get the JSON-RPC codes the specification names (-32700, -32600; -32601 and -32602 come from
 * {@link FlowToolsHandler}).
 *
 * <p>Why not the SDK's servlet transport: {@code HttpServletStatelessServerTransport} blocks a Jetty thread for the
 * whole call, answers unparseable JSON with -32600 rather than -32700, and serves one fixed tool list to everyone,
 * whereas Weft's tools depend on the caller's key and on what is published in any process.
 */
public final class McpApi {

    public static final String PATH = "/mcp";
    public static final String CHALLENGE = "Bearer realm=\"weft\", Basic realm=\"weft\"";
    public static final String PROTOCOL_HEADER = "MCP-Protocol-Version";
    /** The version {@code initialize} names in {@code serverInfo}: the jar's, or the build's during development. */
    public static final String SERVER_VERSION = McpApi.class.getPackage().getImplementationVersion() == null
            ? "0.1.0-SNAPSHOT" : McpApi.class.getPackage().getImplementationVersion();
    private static final Logger log = LoggerFactory.getLogger(McpApi.class);

    private final Callers callers;
    private final FlowToolsHandler handler;
    private final McpJsonMapper mapper;

    public McpApi(Callers callers, FlowToolIndex index, FlowToolCalls calls, String version) {
        this.callers = callers;
        this.mapper = mapper();
        this.handler = new FlowToolsHandler(index, calls, mapper, version);
    }

    /** The SDK's Jackson 2 mapping, reading messages that carry fields newer than this SDK knows. */
    public static McpJsonMapper mapper() {
        return new JacksonMcpJsonMapper(new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false));
    }

    public void register(RoutesConfig routes) {
        routes.post(PATH, this::post);
        routes.get(PATH, this::notAllowed);
        routes.delete(PATH, this::notAllowed);
    }

    /** 405 to a caller with a credential (401 first without one, as on POST). */
    private void notAllowed(Context ctx) {
        authenticate(ctx);
        // the problem+json body comes from the API's 405 handler; stateless: no session to end, no stream to open
        ctx.header(Header.ALLOW, "POST").status(405);
    }

    private void post(Context ctx) {
        Caller caller = authenticate(ctx);
        String version = ctx.header(PROTOCOL_HEADER);
        if (version != null && !FlowToolsHandler.VERSIONS.contains(version)) {
            refuse(ctx, null, McpSchema.ErrorCodes.INVALID_REQUEST, "Unsupported "
                    + PROTOCOL_HEADER + " '" + version + "' (supported: " + String.join(", ", FlowToolsHandler.VERSIONS)
                    + ")");
            return;
        }
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(ctx.body());
        } catch (JacksonException e) {
            refuse(ctx, null, McpSchema.ErrorCodes.PARSE_ERROR,
                    "Parse error: the body is not JSON (" + e.getOriginalMessage() + ")");
            return;
        }
        String invalid = invalid(message);
        if (invalid != null) {
            JsonNode id = message == null ? null : message.get("id");
            refuse(ctx, id != null && (id.isTextual() || id.isIntegralNumber()) ? id : null,
                    McpSchema.ErrorCodes.INVALID_REQUEST, "Invalid Request: " + invalid);
            return;
        }
        if (!message.has("method") || !message.has("id")) {   // a notification, or a response to nothing we asked
            ctx.status(202);
            return;
        }
        JsonNode params = message.get("params");
        if (params != null && !params.isObject() && !params.isNull()) {
            answer(ctx, 200, FlowToolsHandler.error(Json.MAPPER.convertValue(message.get("id"), Object.class),
                    McpSchema.ErrorCodes.INVALID_PARAMS, "Invalid params: params must be an object"));
            return;
        }
        McpSchema.JSONRPCRequest request = new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION,
                message.get("method").asText(), Json.MAPPER.convertValue(message.get("id"), Object.class),
                params == null || params.isNull() ? null : Json.MAPPER.convertValue(params, Object.class));
        McpTransportContext context = McpTransportContext.create(Map.of(FlowToolsHandler.CALLER, caller));
        CompletableFuture<McpSchema.JSONRPCResponse> response = handler.handleRequest(context, request)
                .onErrorResume(e -> {
                    log.warn("MCP {} failed", request.method(), e);
                    return Mono.just(FlowToolsHandler.error(request.id(),
                            McpSchema.ErrorCodes.INTERNAL_ERROR, "Internal error: " + e.getMessage()));
                })
                .toFuture();
        if (response.isDone()) {
            answer(ctx, 200, response.join());
        } else {
            ctx.future(() -> response.thenAccept(done -> answer(ctx, 200, done)));
        }
    }

    private Caller authenticate(Context ctx) {
        try {
            return callers.requireMcp(ctx.header(Header.AUTHORIZATION));
        } catch (ApiException e) {
            if (e.kind() == ApiException.Kind.UNAUTHORIZED) ctx.header(Header.WWW_AUTHENTICATE, CHALLENGE);
            throw e;
        }
    }

    /** Why {@code message} is not one JSON-RPC 2.0 request, notification or response; null when it is. */
    static String invalid(JsonNode message) {
        if (message == null || message.isMissingNode()) return "the body is empty";
        if (message.isArray()) return "batches are not supported (MCP 2025-06-18 removed JSON-RPC batching): send one message per POST";
        if (!message.isObject()) return "a JSON-RPC message must be an object";
        if (!"2.0".equals(message.path("jsonrpc").asText(null))) return "jsonrpc must be \"2.0\"";
        JsonNode id = message.get("id");
        if (id != null && !id.isTextual() && !id.isIntegralNumber() && !(id.isNull() && !message.has("method"))) {
            return "id must be a string or an integer";
        }
        JsonNode method = message.get("method");
        if (method != null) {
            if (!method.isTextual() || method.asText().isEmpty()) return "method must be a non-empty string";
            return null;
        }
        if (message.has("result") || message.has("error")) return null;
        return "a JSON-RPC message needs a method (a request or notification) or a result or error (a response)";
    }

    /**
     * 400 with a JSON-RPC error for a message that cannot be handled; {@code id} is null when the message's id could
     * not be read, which JSON-RPC requires but the SDK's response type refuses, so this one is written here.
     */
    private static void refuse(Context ctx, JsonNode id, int code, String message) {
        ObjectNode error = Json.object().put("jsonrpc", McpSchema.JSONRPC_VERSION);
        error.set("id", id == null ? NullNode.instance : id);
        error.putObject("error").put("code", code).put("message", message);
        ctx.status(400).contentType("application/json").result(Json.write(error));
    }

    private void answer(Context ctx, int status, McpSchema.JSONRPCResponse response) {
        try {
            ctx.status(status).contentType("application/json").result(mapper.writeValueAsString(response));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
