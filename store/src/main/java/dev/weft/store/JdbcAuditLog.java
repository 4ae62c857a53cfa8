package dev.weft.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log: appended to, read with filters newest first, and trimmed by retention. Nothing updates a row.
 */
public final class JdbcAuditLog {

    private static final String INSERT = """
            INSERT INTO audit_log (at, actor, action, object_type, object_id, detail, address, workspace_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String SELECT = """
            SELECT id, at, actor, action, object_type, object_id, detail, address FROM audit_log WHERE 1 = 1""";
    private static final String DELETE_BEFORE = "DELETE FROM audit_log WHERE at < ?";

    /**
     * Which entries to read: each filter null when unused; {@code before} is an id for paging (entries older than
     * it); {@code objectId} matches the id alone or {@code type:id}.
     */
    public record Query(String actor, String action, String objectType, String objectId, Instant from, Instant to,
                        Long before, int limit) {}

    private final Database database;

    public JdbcAuditLog(Database database) {
        this.database = database;
    }

    /** Appends an entry and waits for it to be written, so what the caller did is on record when it answers. */
    public void append(Instant at, String actor, String action, String objectType, String objectId, String detail,
                       String address) {
        append(Database.DEFAULT_WORKSPACE, at, actor, action, objectType, objectId, detail, address);
    }

    /** Appends an entry of workspace {@code workspaceId} (what was done there) and waits for it to be written. */
    public void append(long workspaceId, Instant at, String actor, String action, String objectType, String objectId,
                       String detail, String address) {
        database.writer().run(tx -> Rows.update(tx, INSERT, at.toEpochMilli(), actor, action, objectType, objectId,
                detail, address, workspaceId));
    }

    /** Entries of workspace {@code workspaceId} matching {@code query}, newest first. */
    public List<AuditEntry> read(long workspaceId, Query query) {
        return read(query, workspaceId);
    }

    /** Entries matching {@code query}, newest first. The filters are bound as parameters, never glued in. */
    public List<AuditEntry> read(Query query) {
        return read(query, null);
    }

    private List<AuditEntry> read(Query query, Long workspaceId) {
        StringBuilder sql = new StringBuilder(SELECT);
        List<Object> params = new ArrayList<>();
        if (workspaceId != null) { sql.append(" AND workspace_id = ?"); params.add(workspaceId); }
        if (query.actor() != null) { sql.append(" AND actor = ?"); params.add(query.actor()); }
        if (query.action() != null) { sql.append(" AND action = ?"); params.add(query.action()); }
        if (query.objectType() != null) { sql.append(" AND object_type = ?"); params.add(query.objectType()); }
        if (query.objectId() != null) { sql.append(" AND object_id = ?"); params.add(query.objectId()); }
        if (query.from() != null) { sql.append(" AND at >= ?"); params.add(query.from().toEpochMilli()); }
        if (query.to() != null) { sql.append(" AND at < ?"); params.add(query.to().toEpochMilli()); }
        if (query.before() != null) { sql.append(" AND id < ?"); params.add(query.before()); }
        sql.append(" ORDER BY id DESC LIMIT ?");
        params.add(query.limit());
        return Rows.list(database.readers(), sql.toString(), JdbcAuditLog::entry, params.toArray());
    }

    /** Deletes entries older than {@code cutoff}; how many went. */
    public int deleteBefore(Instant cutoff) {
        return database.writer().run(tx -> Rows.update(tx, DELETE_BEFORE, cutoff.toEpochMilli()));
    }

    private static AuditEntry entry(ResultSet row) throws SQLException {
        return new AuditEntry(row.getLong("id"), Instant.ofEpochMilli(row.getLong("at")), row.getString("actor"),
                row.getString("action"), row.getString("object_type"), row.getString("object_id"),
                row.getString("detail"), row.getString("address"));
    }
}
