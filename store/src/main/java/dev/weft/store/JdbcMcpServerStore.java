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

/** The MCP servers configured in Weft, by name: created, changed (each change bumps the version), listed, deleted. */
public final class JdbcMcpServerStore {

    private static final String COLUMNS = "name, transport, url, headers, command, args, version, created_at, updated_at";
    private static final String INSERT = """
            INSERT INTO mcp_servers (name, transport, url, headers, command, args, version, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)""";
    private static final String UPDATE = """
            UPDATE mcp_servers SET transport = ?, url = ?, headers = ?, command = ?, args = ?, version = version + 1,
            updated_at = ? WHERE name = ?""";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM mcp_servers WHERE name = ?";
    private static final String SELECT_ALL = "SELECT " + COLUMNS + " FROM mcp_servers ORDER BY name";
    private static final String DELETE = "DELETE FROM mcp_servers WHERE name = ?";

    private final Database database;
    private final Clock clock;

    public JdbcMcpServerStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Stores a new server; empty when the name is taken. */
    public Optional<McpServerRecord> create(String name, McpServerRecord.Settings settings) {
        long now = clock.millis();
        boolean created = database.writer().run(tx -> {
            if (Rows.one(tx, SELECT, JdbcMcpServerStore::of, name).isPresent()) return false;
            Rows.update(tx, INSERT, name, settings.transport(), settings.url(), Json.write(settings.headers()),
                    settings.command(), Json.write(settings.args()), now, now);
            return true;
        });
        return created ? find(name) : Optional.empty();
    }

    /** Replaces a server's settings; empty when there is none of that name. */
    public Optional<McpServerRecord> update(String name, McpServerRecord.Settings settings) {
        int changed = database.writer().run(tx -> Rows.update(tx, UPDATE, settings.transport(), settings.url(),
                Json.write(settings.headers()), settings.command(), Json.write(settings.args()), clock.millis(), name));
        return changed == 0 ? Optional.empty() : find(name);
    }

    public Optional<McpServerRecord> find(String name) {
        return Rows.one(database.readers(), SELECT, JdbcMcpServerStore::of, name);
    }

    public List<McpServerRecord> list() {
        return Rows.list(database.readers(), SELECT_ALL, JdbcMcpServerStore::of);
    }

    /** Deletes the server; false when there is none of that name. */
    public boolean delete(String name) {
        return database.writer().run(tx -> Rows.update(tx, DELETE, name)) > 0;
    }

    private static McpServerRecord of(ResultSet row) throws SQLException {
        Map<String, String> headers = Json.MAPPER.convertValue(Json.read(row.getString("headers")),
                new TypeReference<LinkedHashMap<String, String>>() {});
        List<String> args = Json.MAPPER.convertValue(Json.read(row.getString("args")),
                new TypeReference<List<String>>() {});
        return new McpServerRecord(row.getString("name"), row.getString("transport"), row.getString("url"), headers,
                row.getString("command"), args, row.getInt("version"), Instant.ofEpochMilli(row.getLong("created_at")),
                Instant.ofEpochMilli(row.getLong("updated_at")));
    }
}
