package dev.weft.manage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.auth.Caller;
import dev.weft.builtin.AddressGuard;
import dev.weft.builtin.McpTools;
import dev.weft.http.ApiException;
import dev.weft.http.Bodies;
import dev.weft.http.TaskJson;
import dev.weft.json.Json;
import dev.weft.mcp.McpClients;
import dev.weft.mcp.McpConfig;
import dev.weft.node.NodeException;
import dev.weft.store.JdbcMcpServerStore;
import dev.weft.store.McpServerRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * The management API for MCP servers (admin token): configure, list, read, change, delete, and list a server's
 * tools live, each in the caller's workspace (another workspace's server answers as an unknown name does). An HTTP server's headers name stored credentials, never secrets; an stdio server's command must be
 * on the admin's allow-list ({@value McpConfig#STDIO_ALLOW_ENV}). A change or delete closes the open session.
 */
public final class McpServersApi {

    public static final String PATH = "/api/v1/mcp-servers";
    static final int ARGS_MAX = 50;
    static final int ARG_MAX_CHARS = 2000;
    static final int HEADERS_MAX = 20;
    static final int URL_MAX_CHARS = 2000;
    /** An HTTP header name (RFC 9110 token). */
    static final Pattern HEADER = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}");
    private static final long TOOLS_WAIT_SECONDS = 40;

    private final JdbcMcpServerStore servers;
    private final McpClients clients;
    private final BiPredicate<Long, String> credentialExists;
    private final AddressGuard guard;
    private final McpConfig config;

    public McpServersApi(JdbcMcpServerStore servers, McpClients clients, BiPredicate<Long, String> credentialExists,
                         AddressGuard guard, McpConfig config) {
        this.servers = servers;
        this.clients = clients;
        this.credentialExists = credentialExists;
        this.guard = guard;
        this.config = config;
    }

    public void register(RoutesConfig routes) {
        routes.get(PATH, this::list);
        routes.post(PATH, this::create);
        routes.get(PATH + "/{name}", ctx -> ctx.json(json(find(Caller.workspaceOf(ctx), ctx.pathParam("name")))));
        routes.put(PATH + "/{name}", this::update);
        routes.delete(PATH + "/{name}", this::delete);
        routes.get(PATH + "/{name}/tools", this::tools);
    }

    private void list(Context ctx) {
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("mcp_servers");
        for (McpServerRecord server : servers.list(Caller.workspaceOf(ctx))) list.add(json(server));
        ctx.json(json);
    }

    private void create(Context ctx) {
        ObjectNode body = Bodies.object(ctx, false);
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || !CredentialsApi.NAME.matcher(name.asText()).matches()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "name", "is required: 1 to 100 letters, digits,"
                    + " '_', '.' or '-', starting with a letter or digit");
        }
        long workspace = Caller.workspaceOf(ctx);
        McpServerRecord created = servers.create(workspace, name.asText(), settings(body, workspace))
                .orElseThrow(() -> new ApiException(ApiException.Kind.CONFLICT, "name", "an MCP server named '"
                        + name.asText() + "' exists; change it with PUT " + PATH + "/" + name.asText()));
        ctx.status(201).header("Location", PATH + "/" + created.name()).json(json(created));
    }

    private void update(Context ctx) {
        String name = ctx.pathParam("name");
        ObjectNode body = Bodies.object(ctx, false);
        JsonNode named = body.get("name");
        if (named != null && !named.isNull() && !name.equals(named.asText())) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "name", "must be '" + name
                    + "' (the name in the path) or absent; a server is not renamed");
        }
        long workspace = Caller.workspaceOf(ctx);
        McpServerRecord.Settings settings = settings(body, workspace);
        McpServerRecord updated = servers.update(workspace, name, settings).orElseThrow(() -> notFound(name));
        clients.forget(workspace, name);
        ctx.json(json(updated));
    }

    private void delete(Context ctx) {
        String name = ctx.pathParam("name");
        long workspace = Caller.workspaceOf(ctx);
        if (!servers.delete(workspace, name)) throw notFound(name);
        clients.forget(workspace, name);
        ctx.status(204);
    }

    /** The server's tools as it lists them now; a server that fails answers 502 with the reason. */
    private void tools(Context ctx) {
        String name = ctx.pathParam("name");
        long workspace = Caller.workspaceOf(ctx);
        find(workspace, name);
        List<McpTools.Tool> tools;
        try {
            tools = clients.inWorkspace(workspace).tools(name).toCompletableFuture().get(TOOLS_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            String detail = e.getCause() instanceof NodeException failure ? failure.getMessage()
                    : "MCP server '" + name + "' failed: " + e.getCause();
            throw new ApiException(ApiException.Kind.BAD_GATEWAY, "name", detail);
        } catch (TimeoutException e) {
            throw new ApiException(ApiException.Kind.BAD_GATEWAY, "name", "MCP server '" + name
                    + "' did not list its tools within " + TOOLS_WAIT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ApiException.Kind.UNAVAILABLE, "interrupted");
        }
        ObjectNode json = Json.object();
        json.put("server", name);
        ArrayNode list = json.putArray("tools");
        for (McpTools.Tool tool : tools) {
            ObjectNode entry = list.addObject();
            entry.put("name", tool.name());
            entry.put("description", tool.description());
            entry.set("input_schema", tool.inputSchema());
        }
        ctx.json(json);
    }

    /** The request's settings, each field checked; nothing is stored when one is wrong. */
    private McpServerRecord.Settings settings(ObjectNode body, long workspace) {
        JsonNode transport = body.get("transport");
        String kind = transport == null || transport.isNull() ? McpServerRecord.HTTP : transport.asText();
        if (transport != null && !transport.isNull() && !transport.isTextual()
                || !kind.equals(McpServerRecord.HTTP) && !kind.equals(McpServerRecord.STDIO)) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "transport", "must be \"http\" (Streamable HTTP,"
                    + " the default) or \"stdio\" (a command on the allow-list)");
        }
        if (kind.equals(McpServerRecord.HTTP)) {
            absent(body, "command", "http");
            absent(body, "args", "http");
            return new McpServerRecord.Settings(kind, url(body.get("url")), headers(body.get("headers"), workspace), null,
                    List.of());
        }
        absent(body, "url", "stdio");
        absent(body, "headers", "stdio");
        return new McpServerRecord.Settings(kind, null, Map.of(), command(body.get("command")), args(body.get("args")));
    }

    private String url(JsonNode url) {
        if (url == null || !url.isTextual() || url.asText().isBlank() || url.asText().length() > URL_MAX_CHARS) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "url", "is required: the server's Streamable "
                    + "HTTP endpoint, such as https://mcp.example.com/mcp");
        }
        URI uri;
        try {
            uri = new URI(url.asText().strip());
        } catch (java.net.URISyntaxException e) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "url", "is not a URL: " + e.getMessage());
        }
        if (uri.getUserInfo() != null) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "url", "must not carry a user or password; "
                    + "send them in headers from stored credentials");
        }
        try {
            guard.check(uri);
        } catch (NodeException e) {
            if (AddressGuard.REFUSED.equals(e.type())) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, "url", e.getMessage());
            }
            // a name that does not resolve now may resolve when the server is used; the guard checks again then
        }
        return uri.toString();
    }

    private Map<String, String> headers(JsonNode headers, long workspace) {
        if (headers == null || headers.isNull()) return Map.of();
        if (!headers.isObject() || headers.size() > HEADERS_MAX) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "headers", "must be an object of at most "
                    + HEADERS_MAX + " header names, each naming a stored credential whose secret is the value");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> header : headers.properties()) {
            String field = "headers." + header.getKey();
            if (!HEADER.matcher(header.getKey()).matches()) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, field, "is not an HTTP header name");
            }
            JsonNode credential = header.getValue();
            if (!credential.isTextual() || !credentialExists.test(workspace, credential.asText())) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, field, "must name a stored credential (POST "
                        + "/api/v1/credentials); its secret is sent as the header's value");
            }
            map.put(header.getKey(), credential.asText());
        }
        return map;
    }

    private String command(JsonNode command) {
        if (command == null || !command.isTextual() || command.asText().isBlank()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "command", "is required for an stdio server: "
                    + "a command on the allow-list (" + McpConfig.STDIO_ALLOW_ENV + ")");
        }
        if (!config.allows(command.asText())) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "command", "'" + command.asText() + "' is not "
                    + "on the allow-list of stdio commands; the admin sets it with " + McpConfig.STDIO_ALLOW_ENV
                    + (config.stdioAllow().isEmpty() ? " (empty: no stdio servers)"
                    : " (now: " + String.join(", ", config.stdioAllow()) + ")"));
        }
        return command.asText();
    }

    private static List<String> args(JsonNode args) {
        if (args == null || args.isNull()) return List.of();
        if (!args.isArray() || args.size() > ARGS_MAX) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "args", "must be a list of at most " + ARGS_MAX
                    + " strings");
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            JsonNode arg = args.get(i);
            if (!arg.isTextual() || arg.asText().length() > ARG_MAX_CHARS) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, "args[" + i + "]", "must be a string of at "
                        + "most " + ARG_MAX_CHARS + " characters");
            }
            list.add(arg.asText());
        }
        return list;
    }

    private static void absent(ObjectNode body, String field, String transport) {
        JsonNode value = body.get(field);
        if (value != null && !value.isNull()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, field, "is not used by an " + transport
                    + " server; leave it out");
        }
    }

    private McpServerRecord find(long workspace, String name) {
        return servers.find(workspace, name).orElseThrow(() -> notFound(name));
    }

    private static ApiException notFound(String name) {
        return new ApiException(ApiException.Kind.NOT_FOUND, "name", "no MCP server named '" + name + "'");
    }

    static ObjectNode json(McpServerRecord server) {
        ObjectNode json = Json.object();
        json.put("name", server.name());
        json.put("transport", server.transport());
        if (McpServerRecord.HTTP.equals(server.transport())) {
            json.put("url", server.url());
            ObjectNode headers = json.putObject("headers");
            server.headers().forEach(headers::put);
        } else {
            json.put("command", server.command());
            ArrayNode args = json.putArray("args");
            server.args().forEach(args::add);
        }
        json.put("version", server.version());
        TaskJson.time(json, "created_at", server.createdAt());
        TaskJson.time(json, "updated_at", server.updatedAt());
        return json;
    }
}
