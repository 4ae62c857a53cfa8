package dev.weft.server;

import dev.weft.auth.Callers;
import dev.weft.builtin.AddressGuard;
import dev.weft.manage.McpServersApi;
import dev.weft.mcp.McpClients;
import dev.weft.mcp.McpConfig;
import dev.weft.store.Database;
import dev.weft.store.JdbcCredentialStore;
import dev.weft.store.JdbcMcpServerStore;
import io.javalin.config.RoutesConfig;
import java.time.Clock;

/**
 * The MCP client wired into a server: the stored servers, the clients the mcp (and agent) nodes call, and the
 * admin-scoped routes. Kept apart from {@link WeftServer} so that its wiring stays a few lines.
 *
 * @param servers the configured servers
 * @param clients the sessions to them, closed at shutdown
 * @param guard   the private-address guard their URLs pass (as the http node's)
 * @param config  the admin's allow-list of stdio commands
 */
record McpWiring(JdbcMcpServerStore servers, McpClients clients, AddressGuard guard, McpConfig config) {

    static McpWiring start(Database database, JdbcCredentialStore credentials, boolean allowPrivate, McpConfig config,
                           Clock clock) {
        JdbcMcpServerStore servers = new JdbcMcpServerStore(database, clock);
        AddressGuard guard = allowPrivate ? AddressGuard.allowingPrivate() : AddressGuard.publicOnly();
        return new McpWiring(servers, McpClients.create(servers, credentials, guard, config, clock), guard, config);
    }

    void register(RoutesConfig routes, Callers callers, JdbcCredentialStore credentials) {
        routes.before(McpServersApi.PATH + "*", ctx -> callers.require(ctx, Callers.Scope.ADMIN));
        new McpServersApi(servers, clients,
                (workspace, name) -> credentials.in(workspace).info(name).isPresent(), guard, config).register(routes);
    }
}
