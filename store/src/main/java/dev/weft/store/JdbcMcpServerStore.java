package dev.weft.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.weft.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The MCP servers configured in Weft, by name within a workspace: created, changed (each change bumps the version),
 * listed, deleted. A run finds the server of its task's workspace ({@link #findForTask}).
 */
public final class JdbcMcpServerStore {

    private static final String COLUMNS = "name, transport, url, headers, command, args, version, created_at, updated_at,"
            + " workspace_id";
    private static final String INSERT = """
            INSERT INTO mcp_servers (name, transport, url, headers, command, args, version, created_at, updated_at,
                workspace_id)
            VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)""";
    private static final String UPDATE = """
            UPDATE mcp_servers SET transport = ?, url = ?, headers = ?, command = ?, args = ?, version = version + 1,
            updated_at = ? WHERE name = ? AND workspace_id = ?""";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM mcp_servers WHERE name = ? AND workspace_id = ?";
    /** A task's server: the one of that name in the task's workspace, found in the same read. */
    private static final String SELECT_FOR_TASK = """
            SELECT m.name, m.transport, m.url, m.headers, m.command, m.args, m.version, m.created_at, m.updated_at,
                m.workspace_id FROM mcp_servers m JOIN tasks t ON t.workspace_id = m.workspace_id
            WHERE m.name = ? AND t.id = ?""";
    private static final String SELECT_ALL = "SELECT " + COLUMNS + " FROM mcp_servers WHERE workspace_id = ? ORDER BY name";
    private static final String DELETE = "DELETE FROM mcp_servers WHERE name = ? AND workspace_id = ?";

    private final Database database;
    private final Clock clock;

    public JdbcMcpServerStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Stores a new server in the default workspace; empty when the name is taken. */
    public Optional<McpServerRecord> create(String name, McpServerRecord.Settings settings) {
        return create(Database.DEFAULT_WORKSPACE, name, settings);
    }

    /** Stores a new server in workspace {@code workspaceId}; empty when the name is taken there. */
    public Optional<McpServerRecord> create(long workspaceId, String name, McpServerRecord.Settings settings) {
        long now = clock.millis();
        boolean created = database.writer().run(tx -> {
            if (Rows.one(tx, SELECT, JdbcMcpServerStore::of, name, workspaceId).isPresent()) return false;
            Rows.update(tx, INSERT, name, settings.transport(), settings.url(), Json.write(settings.headers()),
                    settings.command(), Json.write(settings.args()), now, now, workspaceId);
            return true;
        });
        return created ? find(workspaceId, name) : Optional.empty();
    }

    /** Replaces a default-workspace server's settings; empty when there is none of that name. */
    public Optional<McpServerRecord> update(String name, McpServerRecord.Settings settings) {
        return update(Database.DEFAULT_WORKSPACE, name, settings);
    }

    /** Replaces a server's settings; empty when workspace {@code workspaceId} has none of that name. */
    public Optional<McpServerRecord> update(long workspaceId, String name, McpServerRecord.Settings settings) {
        int changed = database.writer().run(tx -> Rows.update(tx, UPDATE, settings.transport(), settings.url(),
                Json.write(settings.headers()), settings.command(), Json.write(settings.args()), clock.millis(), name,
                workspaceId));
        return changed == 0 ? Optional.empty() : find(workspaceId, name);
    }

    /** The default workspace's server of that name. */
    public Optional<McpServerRecord> find(String name) {
        return find(Database.DEFAULT_WORKSPACE, name);
    }

    public Optional<McpServerRecord> find(long workspaceId, String name) {
        return Rows.one(database.readers(), SELECT, JdbcMcpServerStore::of, name, workspaceId);
    }

    /** The server of that name in the workspace of task {@code taskId}: each run reaches its own workspace's. */
    public Optional<McpServerRecord> findForTask(long taskId, String name) {
        return Rows.one(database.readers(), SELECT_FOR_TASK, JdbcMcpServerStore::of, name, taskId);
    }

    /** The default workspace's servers. */
    public List<McpServerRecord> list() {
        return list(Database.DEFAULT_WORKSPACE);
    }

    public List<McpServerRecord> list(long workspaceId) {
        return Rows.list(database.readers(), SELECT_ALL, JdbcMcpServerStore::of, workspaceId);
    }

    /** Deletes the default workspace's server; false when there is none of that name. */
    public boolean delete(String name) {
        return delete(Database.DEFAULT_WORKSPACE, name);
    }

    /** Deletes the server; false when workspace {@code workspaceId} has none of that name. */
    public boolean delete(long workspaceId, String name) {
        return database.writer().run(tx -> Rows.update(tx, DELETE, name, workspaceId)) > 0;
    }

    private static McpServerRecord of(ResultSet row) throws SQLException {
        Map<String, String> headers = Json.MAPPER.convertValue(Json.read(row.getString("headers")),
                new TypeReference<LinkedHashMap<String, String>>() {});
        List<String> args = Json.MAPPER.convertValue(Json.read(row.getString("args")),
                new TypeReference<List<String>>() {});
        return new McpServerRecord(row.getString("name"), row.getString("transport"), row.getString("url"), headers,
                row.getString("command"), args, row.getInt("version"), Instant.ofEpochMilli(row.getLong("created_at")),
                Instant.ofEpochMilli(row.getLong("updated_at")), row.getLong("workspace_id"));
    }
}
