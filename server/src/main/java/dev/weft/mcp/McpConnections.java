package dev.weft.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.builtin.AddressGuard;
import dev.weft.builtin.McpTools;
import dev.weft.node.Credentials;
import dev.weft.node.NodeException;
import dev.weft.store.McpServerRecord;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an MCP client for one configured server, checked as it is built: an HTTP server's URL through the
 * private-address guard and its headers from stored credentials (each only to a host the credential allows), an
 * stdio server's command against the admin's allow-list, started with a clean environment.
 */
final class McpConnections {

    /** How long connecting and MCP's initialize handshake may take. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The SDK's own limit on any request; each call sets a shorter one of its own. */
    static final Duration REQUEST_TIMEOUT_MAX = Duration.ofHours(1);
    private static final Logger log = LoggerFactory.getLogger(McpConnections.class);
    /** The SDK's JSON mapping (its records' own names), also for turning its answers into JSON trees. */
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final McpJsonMapper JSON = new JacksonMcpJsonMapper(MAPPER);

    /** A workspace's stored credentials, by workspace id: a server's headers name its own workspace's. */
    private final java.util.function.LongFunction<Credentials> credentials;
    private final AddressGuard guard;
    private final McpConfig config;

    McpConnections(java.util.function.LongFunction<Credentials> credentials, AddressGuard guard, McpConfig config) {
        this.credentials = credentials;
        this.guard = guard;
        this.config = config;
    }

    /** A client for {@code server}, not yet connected; may block (name lookup, credential reads). */
    McpAsyncClient client(McpServerRecord server) {
        McpClientTransport transport = McpServerRecord.STDIO.equals(server.transport()) ? stdio(server) : http(server);
        return McpClient.async(transport)
                .clientInfo(new McpSchema.Implementation("weft", "Weft", version()))
                .initializationTimeout(CONNECT_TIMEOUT)
                .requestTimeout(REQUEST_TIMEOUT_MAX)
                .build();
    }

    /** Where the server is, for messages: its URL or its command. No secret is part of it. */
    static String endpoint(McpServerRecord server) {
        return McpServerRecord.STDIO.equals(server.transport()) ? "command " + server.command() : server.url();
    }

    private McpClientTransport http(McpServerRecord server) {
        URI uri = URI.create(server.url());
        try {
            guard.check(uri);
        } catch (NodeException e) {
            throw new NodeException(McpTools.ERROR, "MCP server '" + server.name() + "': " + e.getMessage(), false);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        server.headers().forEach((header, name) -> {
            Credentials.Credential credential = credentials.apply(server.workspaceId()).find(name).orElseThrow(() -> new NodeException(
                    McpTools.ERROR, "MCP server '" + server.name() + "': header " + header + " names credential '"
                    + name + "', which is not stored", false));
            if (!credential.allows(uri.getHost())) {
                throw new NodeException(McpTools.ERROR, "MCP server '" + server.name() + "': credential '" + name
                        + "' may be sent only to " + String.join(", ", credential.hosts()) + ", not to "
                        + uri.getHost(), false);
            }
            // a key or token is this header's value; a basic or headers credential says itself what it sends
            if (credential.type().isToken()) headers.put(header, credential.secret());
            else headers.putAll(credential.headers());
        });
        String base = uri.getScheme() + "://" + uri.getRawAuthority();
        String endpoint = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) endpoint += "?" + uri.getRawQuery();
        return HttpClientStreamableHttpTransport.builder(base)
                .endpoint(endpoint)
                .connectTimeout(CONNECT_TIMEOUT)
                .jsonMapper(JSON)
                .httpRequestCustomizer((request, method, target, body, context) -> headers.forEach(request::header))
                .build();
    }

    private McpClientTransport stdio(McpServerRecord server) {
        if (!config.allows(server.command())) {
            throw new NodeException(McpTools.ERROR, "MCP server '" + server.name() + "': command " + server.command()
                    + " is not on the allow-list (" + McpConfig.STDIO_ALLOW_ENV + ")", false);
        }
        StdioClientTransport transport = new CleanStdio(ServerParameters.builder(server.command())
                .args(server.args()).build());
        transport.setStdErrorHandler(line -> log.debug("MCP server '{}' says: {}", server.name(), line));
        return transport;
    }

    private static String version() {
        String version = McpConnections.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /**
     * The SDK's stdio transport started without this process's environment: the child gets only the few variables
     * the SDK passes on (PATH, HOME and the like), never Weft's master key or admin token.
     */
    private static final class CleanStdio extends StdioClientTransport {

        CleanStdio(ServerParameters parameters) {
            super(parameters, JSON);
        }

        @Override
        protected ProcessBuilder getProcessBuilder() {
            ProcessBuilder builder = new ProcessBuilder();
            builder.environment().clear();
            return builder;
        }
    }
}
