package dev.weft.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.builtin.McpTools;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import dev.weft.store.JdbcMcpServerStore;
import dev.weft.store.McpServerRecord;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Weft's MCP client: {@link McpTools} over the servers stored in {@link JdbcMcpServerStore}, with the official
 * Java SDK's asynchronous client (no thread waits for an answer). A session to a server is opened on first use
 * and reused; it is closed when the server's configuration changes (seen by its version, in any process) or is
 * deleted, when it fails, and at shutdown. A server's tool list is kept for {@link #TOOLS_TTL}.
 */
public final class McpClients implements McpTools, AutoCloseable {

    /** How long a server's {@code tools/list} answer is reused. */
    public static final Duration TOOLS_TTL = Duration.ofSeconds(30);
    /** How long listing a server's tools may take. */
    static final Duration LIST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    /** An open (or opening) session on one configuration of a server, and its cached tool list. */
    private record Session(McpServerRecord config, McpAsyncClient client, Mono<McpAsyncClient> ready,
                           AtomicReference<Listed> listed) {}

    private record Listed(List<Tool> tools, Instant at) {}

    private final JdbcMcpServerStore servers;
    private final McpConnections connections;
    private final Clock clock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public McpClients(JdbcMcpServerStore servers, McpConnections connections, Clock clock) {
        this.servers = servers;
        this.connections = connections;
        this.clock = clock;
    }

    /** The client of a server: sessions opened with {@code config}'s allow-list, URLs checked by {@code guard}. */
    public static McpClients create(JdbcMcpServerStore servers, dev.weft.store.JdbcCredentialStore credentials,
                                    dev.weft.builtin.AddressGuard guard, McpConfig config, Clock clock) {
        return new McpClients(servers, new McpConnections(credentials::in, guard, config), clock);
    }

    /** The default workspace's server's tools (the server's own use, with no task). */
    @Override
    public CompletionStage<List<Tool>> tools(String server) {
        return tools(server, () -> servers.find(server));
    }

    /** The default workspace's server's tool, called. */
    @Override
    public CompletionStage<Result> call(String server, String tool, ObjectNode arguments, Duration timeout) {
        return call(server, () -> servers.find(server), tool, arguments, timeout);
    }

    /** The servers of workspace {@code workspaceId}, as its API lists a server's tools. */
    public McpTools inWorkspace(long workspaceId) {
        return view(server -> servers.find(workspaceId, server));
    }

    /** The servers of task {@code taskId}'s workspace: a step naming "docs" reaches its own workspace's "docs". */
    @Override
    public McpTools forTask(long taskId) {
        return view(server -> servers.findForTask(taskId, server));
    }

    private McpTools view(java.util.function.Function<String, java.util.Optional<McpServerRecord>> lookup) {
        return new McpTools() {
            @Override
            public CompletionStage<List<Tool>> tools(String server) {
                return McpClients.this.tools(server, () -> lookup.apply(server));
            }

            @Override
            public CompletionStage<Result> call(String server, String tool, ObjectNode arguments, Duration timeout) {
                return McpClients.this.call(server, () -> lookup.apply(server), tool, arguments, timeout);
            }
        };
    }

    private CompletionStage<List<Tool>> tools(String server, Supplier<java.util.Optional<McpServerRecord>> lookup) {
        String where = "MCP server '" + server + "'";
        return session(server, lookup).flatMap(session -> {
            Listed cached = session.listed().get();
            if (cached != null && cached.at().plus(TOOLS_TTL).isAfter(clock.instant())) return Mono.just(cached.tools());
            return session.ready().flatMap(client -> listAll(client, null, new ArrayList<>()))
                    .timeout(LIST_TIMEOUT)
                    .doOnNext(tools -> session.listed().set(new Listed(tools, clock.instant())))
                    .onErrorMap(e -> failed(session, e, where));
        }).toFuture();
    }

    private CompletionStage<Result> call(String server, Supplier<java.util.Optional<McpServerRecord>> lookup,
                                         String tool, ObjectNode arguments, Duration timeout) {
        String where = "MCP server '" + server + "', tool '" + tool + "'";
        Map<String, Object> args = Json.MAPPER.convertValue(arguments, Map.class);
        return session(server, lookup).flatMap(session -> session.ready()
                .flatMap(client -> client.callTool(new McpSchema.CallToolRequest(tool, args)))
                .timeout(timeout)
                .map(McpClients::resultOf)
                .onErrorMap(e -> failed(session, e, where)))
                .toFuture();
    }

    /** Closes the session to the default workspace's {@code server}, if one is open. */
    public void forget(String server) {
        forget(dev.weft.store.Database.DEFAULT_WORKSPACE, server);
    }

    /** Closes the session to workspace {@code workspaceId}'s {@code server}: its configuration changed or it went. */
    public void forget(long workspaceId, String server) {
        Session session = sessions.remove(key(workspaceId, server));
        if (session != null) close(session);
    }

    /** Closes every session; later calls fail. */
    @Override
    public void close() {
        closed = true;
        for (String name : List.copyOf(sessions.keySet())) {
            Session session = sessions.remove(name);
            if (session != null) {
                try {
                    session.client().closeGracefully().block(CLOSE_WAIT);
                } catch (RuntimeException e) {
                    session.client().close();
                }
            }
        }
    }

    /** Sessions are kept per workspace and name: two workspaces' "docs" are two servers. */
    private static String key(long workspaceId, String server) {
        return workspaceId + "/" + server;
    }

    /** The session on the server's current configuration, opened when there is none (read on a worker thread). */
    private Mono<Session> session(String server, Supplier<java.util.Optional<McpServerRecord>> lookup) {
        return Mono.fromCallable(() -> {
            if (closed) throw new NodeException(ERROR, "MCP server '" + server + "': Weft is shutting down");
            McpServerRecord config = lookup.get().orElseThrow(() -> new NodeException(ERROR,
                    "MCP server '" + server + "' is not configured (see /api/v1/mcp-servers)", false));
            String key = key(config.workspaceId(), server);
            Session current = sessions.get(key);
            if (current != null && current.config().equals(config)) return current;
            synchronized (sessions) {
                current = sessions.get(key);
                if (current != null && current.config().equals(config)) return current;
                if (current != null) {   // the configuration changed since the session was opened
                    sessions.remove(key, current);
                    close(current);
                }
                McpAsyncClient client = connections.client(config);
                Session opened = new Session(config, client, client.initialize().thenReturn(client).cache(),
                        new AtomicReference<>());
                sessions.put(key, opened);
                return opened;
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** The failure for the node; a session that failed otherwise than with an MCP error is dropped. */
    private Throwable failed(Session session, Throwable e, String where) {
        boolean answered = e instanceof McpError mcp && mcp.getJsonRpcError() != null;
        if (!answered && sessions.remove(key(session.config().workspaceId(), session.config().name()), session)) close(session);
        return McpFailures.of(e, where, McpConnections.endpoint(session.config()));
    }

    private static void close(Session session) {
        session.client().closeGracefully().timeout(CLOSE_WAIT)
                .doOnError(e -> session.client().close())
                .onErrorComplete()
                .subscribe();
    }

    private static Mono<List<Tool>> listAll(McpAsyncClient client, String cursor, List<Tool> tools) {
        Mono<McpSchema.ListToolsResult> page = cursor == null ? client.listTools() : client.listTools(cursor);
        return page.flatMap(result -> {
            for (McpSchema.Tool tool : result.tools()) {
                tools.add(new Tool(tool.name(), tool.description() == null ? "" : tool.description(),
                        McpConnections.MAPPER.valueToTree(tool.inputSchema() == null ? Map.of("type", "object")
                                : tool.inputSchema())));
            }
            String next = result.nextCursor();
            return next == null || next.isEmpty() ? Mono.just(List.copyOf(tools)) : listAll(client, next, tools);
        });
    }

    private static Result resultOf(McpSchema.CallToolResult result) {
        // the whole result, so that each content block keeps its "type" (the SDK's declared types carry it)
        JsonNode json = McpConnections.MAPPER.valueToTree(result);
        JsonNode content = json.path("content").isArray() ? json.get("content") : Json.MAPPER.createArrayNode();
        JsonNode structured = json.path("structuredContent").isMissingNode() || json.get("structuredContent").isNull()
                ? null : json.get("structuredContent");
        return new Result(content, structured, Boolean.TRUE.equals(result.isError()));
    }
}
