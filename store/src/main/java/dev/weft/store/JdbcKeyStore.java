package dev.weft.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.weft.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Server keys: created with a hashed secret, listed, revoked, and touched when used. */
public final class JdbcKeyStore {

    private static final String COLUMNS =
            "id, name, secret_hash, created_at, last_used_at, expires_at, revoked_at, flow_ids, workspace_id";
    private static final String INSERT = """
            INSERT INTO server_keys (id, name, secret_hash, created_at, expires_at, flow_ids, workspace_id)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";
    private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM server_keys WHERE id = ?";
    private static final String SELECT_ALL = "SELECT " + COLUMNS + " FROM server_keys ORDER BY created_at, id";
    private static final String SELECT_WORKSPACE = "SELECT " + COLUMNS
            + " FROM server_keys WHERE workspace_id = ? ORDER BY created_at, id";
    private static final String REVOKE = "UPDATE server_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL";
    private static final String TOUCH = """
            UPDATE server_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)""";

    private final Database database;
    private final Clock clock;

    public JdbcKeyStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** A key of the default workspace. */
    public KeyRecord create(String id, String name, String secretHash, Instant expiresAt, List<Long> flowIds) {
        return create(id, name, secretHash, expiresAt, flowIds, Database.DEFAULT_WORKSPACE);
    }

    /** A new key acting in workspace {@code workspaceId}. */
    public KeyRecord create(String id, String name, String secretHash, Instant expiresAt, List<Long> flowIds,
                            long workspaceId) {
        long now = clock.millis();
        database.writer().run(tx -> Rows.update(tx, INSERT, id, name, secretHash, now,
                expiresAt == null ? null : expiresAt.toEpochMilli(), flowIds == null ? null : Json.write(flowIds),
                workspaceId));
        return find(id).orElseThrow();
    }

    public Optional<KeyRecord> find(String id) {
        return Rows.one(database.readers(), SELECT_ONE, JdbcKeyStore::key, id);
    }

    public List<KeyRecord> list() {
        return Rows.list(database.readers(), SELECT_ALL, JdbcKeyStore::key);
    }

    /** The keys of one workspace. */
    public List<KeyRecord> list(long workspaceId) {
        return Rows.list(database.readers(), SELECT_WORKSPACE, JdbcKeyStore::key, workspaceId);
    }

    /** Revokes the key; false when it does not exist or was already revoked. */
    public boolean revoke(String id) {
        return database.writer().run(tx -> Rows.update(tx, REVOKE, clock.millis(), id)) > 0;
    }

    /** Records that the key was used at {@code at} (written in the background; never slows a request). */
    public void touch(String id, Instant at) {
        long millis = at.toEpochMilli();
        database.writer().submit(tx -> Rows.update(tx, TOUCH, millis, id, millis));
    }

    private static KeyRecord key(ResultSet row) throws SQLException {
        String flowIds = row.getString("flow_ids");
        return new KeyRecord(row.getString("id"), row.getString("name"), row.getString("secret_hash"),
                Instant.ofEpochMilli(row.getLong("created_at")), instant(row, "last_used_at"),
                instant(row, "expires_at"), instant(row, "revoked_at"),
                flowIds == null ? null : Json.MAPPER.convertValue(Json.read(flowIds), new TypeReference<List<Long>>() {}),
                row.getLong("workspace_id"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Long millis = Rows.longOrNull(row, column);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
