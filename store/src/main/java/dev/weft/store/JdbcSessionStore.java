package dev.weft.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Signed-in sessions in the database, so every process sharing it (and every restart) knows them. A session is
 * found by the SHA-256 of its cookie's secret; only live sessions of enabled users are returned.
 */
public final class JdbcSessionStore {

    private static final String COLUMNS = """
            s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, s.address, s.user_agent, s.workspace_id""";
    private static final String INSERT = """
            INSERT INTO user_sessions (id, secret_hash, user_id, csrf_token, created_at, last_seen_at, expires_at,
                                       address, user_agent, workspace_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,
                    COALESCE((SELECT MIN(m.workspace_id) FROM memberships m WHERE m.user_id = ?), 1))
            RETURNING workspace_id""";
    /** Moves a session to another workspace of its user's (only one they are a member of). */
    private static final String SWITCH = """
            UPDATE user_sessions SET workspace_id = ? WHERE id = ? AND user_id = ?
            AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = ? AND m.workspace_id = ?)""";
    /** Live: not past its absolute end, seen within the idle limit, and its user not disabled. */
    private static final String LIVE = "SELECT " + COLUMNS + " " + """
            FROM user_sessions s JOIN users u ON u.id = s.user_id
            WHERE s.secret_hash = ? AND s.expires_at > ? AND s.last_seen_at > ? AND u.disabled_at IS NULL""";
    private static final String OF_USER = "SELECT " + COLUMNS
            + " FROM user_sessions s WHERE s.user_id = ? AND s.expires_at > ? AND s.last_seen_at > ? ORDER BY s.created_at";
    private static final String TOUCH = "UPDATE user_sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?";
    private static final String DELETE_SECRET = "DELETE FROM user_sessions WHERE secret_hash = ?";
    private static final String DELETE_ONE = "DELETE FROM user_sessions WHERE id = ? AND user_id = ?";
    private static final String DELETE_USER = "DELETE FROM user_sessions WHERE user_id = ?";
    private static final String DELETE_DEAD = "DELETE FROM user_sessions WHERE expires_at <= ? OR last_seen_at <= ?";

    private final Database database;

    public JdbcSessionStore(Database database) {
        this.database = database;
    }

    /**
     * Stores a new session, working in its user's first workspace (the oldest they are a member of); returns that
     * workspace's id.
     */
    public long create(SessionRecord session, String secretHash) {
        return database.writer().run(tx -> Rows.one(tx, INSERT, row -> row.getLong(1), session.id(), secretHash,
                session.userId(), session.csrfToken(), session.createdAt().toEpochMilli(),
                session.lastSeenAt().toEpochMilli(), session.expiresAt().toEpochMilli(), session.address(),
                session.userAgent(), session.userId()).orElseThrow());
    }

    /**
     * Makes workspace {@code workspaceId} the session's current one; false (nothing changed) when the session is
     * not the user's or the user is no member of that workspace.
     */
    public boolean switchWorkspace(long userId, String sessionId, long workspaceId) {
        return database.writer().run(tx -> Rows.update(tx, SWITCH, workspaceId, sessionId, userId, userId,
                workspaceId)) > 0;
    }

    /** The live session with this secret hash: ends before {@code now}, last seen after {@code idleSince}. */
    public Optional<SessionRecord> findLive(String secretHash, Instant now, Instant idleSince) {
        return Rows.one(database.readers(), LIVE, JdbcSessionStore::session, secretHash, now.toEpochMilli(),
                idleSince.toEpochMilli());
    }

    public List<SessionRecord> listLive(long userId, Instant now, Instant idleSince) {
        return Rows.list(database.readers(), OF_USER, JdbcSessionStore::session, userId, now.toEpochMilli(),
                idleSince.toEpochMilli());
    }

    /** Records that the session was used at {@code at}. */
    public void touch(String id, Instant at) {
        long millis = at.toEpochMilli();
        database.writer().run(tx -> Rows.update(tx, TOUCH, millis, id, millis));
    }

    public void deleteBySecret(String secretHash) {
        database.writer().run(tx -> Rows.update(tx, DELETE_SECRET, secretHash));
    }

    /** Ends one of the user's sessions; false when the user has no session with that id. */
    public boolean delete(long userId, String id) {
        return database.writer().run(tx -> Rows.update(tx, DELETE_ONE, id, userId)) > 0;
    }

    public int deleteAll(long userId) {
        return database.writer().run(tx -> Rows.update(tx, DELETE_USER, userId));
    }

    /** Deletes sessions that ended (absolute or idle); the retention loop calls it. */
    public int deleteDead(Instant now, Instant idleSince) {
        return database.writer().run(tx -> Rows.update(tx, DELETE_DEAD, now.toEpochMilli(), idleSince.toEpochMilli()));
    }

    private static SessionRecord session(ResultSet row) throws SQLException {
        return new SessionRecord(row.getString("id"), row.getLong("user_id"), row.getString("csrf_token"),
                Instant.ofEpochMilli(row.getLong("created_at")), Instant.ofEpochMilli(row.getLong("last_seen_at")),
                Instant.ofEpochMilli(row.getLong("expires_at")), row.getString("address"), row.getString("user_agent"),
                row.getLong("workspace_id"));
    }
}
