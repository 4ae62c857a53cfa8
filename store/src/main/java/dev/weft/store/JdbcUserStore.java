package dev.weft.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Users, their memberships in workspaces, and invitations. Only the default workspace ({@link #DEFAULT_WORKSPACE})
 * exists for now; every query names it so more workspaces need no schema change.
 */
public final class JdbcUserStore {

    /** The workspace V17 creates; every user belongs to it. */
    public static final long DEFAULT_WORKSPACE = 1;

    private static final String COLUMNS = """
            u.id, u.email, u.password_hash, u.disabled_at, u.created_at, u.password_changed_at, m.role""";
    private static final String FROM = " FROM users u LEFT JOIN memberships m ON m.user_id = u.id AND m.workspace_id = ?";
    private static final String BY_EMAIL = "SELECT " + COLUMNS + FROM + " WHERE u.email = ?";
    private static final String BY_ID = "SELECT " + COLUMNS + FROM + " WHERE u.id = ?";
    private static final String ALL = "SELECT " + COLUMNS + FROM + " ORDER BY u.id";
    private static final String COUNT = "SELECT COUNT(*) FROM users";
    private static final String INSERT = """
            INSERT INTO users (email, password_hash, created_at, password_changed_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (email) DO NOTHING""";
    /** The first user only: inserted when the table is empty, in the one statement that checks it. */
    private static final String INSERT_FIRST = """
            INSERT INTO users (email, password_hash, created_at, password_changed_at)
            SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM users)""";
    private static final String ID_OF = "SELECT id FROM users WHERE email = ?";
    private static final String MEMBER = """
            INSERT INTO memberships (user_id, workspace_id, role, created_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (user_id, workspace_id) DO UPDATE SET role = excluded.role""";
    private static final String OWNERS = """
            SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.workspace_id = ? AND m.role = 'owner' AND u.disabled_at IS NULL AND u.id <> ?""";
    private static final String SET_PASSWORD = "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?";
    private static final String REHASH = "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?";
    private static final String DISABLE = "UPDATE users SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL";
    private static final String ENABLE = "UPDATE users SET disabled_at = NULL WHERE id = ?";
    private static final String END_SESSIONS = "DELETE FROM user_sessions WHERE user_id = ?";
    private static final String INVITE = """
            INSERT INTO invitations (token_hash, workspace_id, role, created_by, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?)""";
    private static final String INVITATION = """
            SELECT token_hash, workspace_id, role, created_by, created_at, expires_at, accepted_at
            FROM invitations WHERE token_hash = ?""";
    private static final String ACCEPT = """
            UPDATE invitations SET accepted_at = ?, accepted_by = ? WHERE token_hash = ? AND accepted_at IS NULL
            AND expires_at > ?""";

    private static final String WORKSPACES_OF = """
            SELECT w.id, w.name, w.created_at, m.role FROM workspaces w JOIN memberships m ON m.workspace_id = w.id
            WHERE m.user_id = ? ORDER BY w.id""";
    private static final String WORKSPACE_IDS = "SELECT id FROM workspaces";
    private static final String INSERT_WORKSPACE = "INSERT INTO workspaces (name, created_at) VALUES (?, ?) RETURNING id";
    private static final String RENAME_WORKSPACE = "UPDATE workspaces SET name = ? WHERE id = ?";
    private static final String HOLDS = """
            SELECT (SELECT COUNT(*) FROM flows WHERE workspace_id = ? AND deleted_at IS NULL) AS flows,
                   (SELECT COUNT(*) FROM server_keys WHERE workspace_id = ? AND revoked_at IS NULL) AS server_keys,
                   (SELECT COUNT(*) FROM credentials WHERE workspace_id = ?) AS credentials,
                   (SELECT COUNT(*) FROM knowledge_bases WHERE workspace_id = ?) AS knowledge_bases,
                   (SELECT COUNT(*) FROM mcp_servers WHERE workspace_id = ?) AS mcp_servers,
                   (SELECT COUNT(*) FROM tasks WHERE workspace_id = ? AND state IN ('queued', 'running')) AS unfinished_tasks""";
    /** Sessions in a workspace going away move to another workspace of their user (the oldest), or end. */
    private static final String MOVE_SESSIONS = """
            UPDATE user_sessions SET workspace_id = (SELECT MIN(m.workspace_id) FROM memberships m
                WHERE m.user_id = user_sessions.user_id AND m.workspace_id <> ?)
            WHERE workspace_id = ? AND EXISTS (SELECT 1 FROM memberships m
                WHERE m.user_id = user_sessions.user_id AND m.workspace_id <> ?)""";
    private static final String END_WORKSPACE_SESSIONS = "DELETE FROM user_sessions WHERE workspace_id = ?";
    private static final String DELETE_MEMBERSHIPS = "DELETE FROM memberships WHERE workspace_id = ?";
    private static final String DELETE_INVITATIONS = "DELETE FROM invitations WHERE workspace_id = ?";
    private static final String DELETE_WORKSPACE = "DELETE FROM workspaces WHERE id = ?";
    private static final String PURGE_WORKSPACE = "INSERT INTO workspace_purges (workspace_id, deleted_at) VALUES (?, ?)";
    private static final String MEMBERS = "SELECT " + COLUMNS + " FROM users u JOIN memberships m ON m.user_id = u.id"
            + " AND m.workspace_id = ? ORDER BY u.id";
    private static final String IS_MEMBER = "SELECT user_id FROM memberships WHERE user_id = ? AND workspace_id = ?";
    private static final String LEAVE = "DELETE FROM memberships WHERE user_id = ? AND workspace_id = ?";

    /** What creating a user came to. */
    public sealed interface Created permits Made, Taken {}

    /** The user was made. */
    public record Made(UserRecord user) implements Created {}

    /** The email is already used (or, for the first owner, some user exists already). */
    public record Taken() implements Created {}

    private final Database database;
    private final Clock clock;

    public JdbcUserStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public long count() {
        return Rows.one(database.readers(), COUNT, row -> row.getLong(1)).orElse(0L);
    }

    /** Makes the first user, an owner, unless a user exists already. */
    public Created createFirstOwner(String email, String passwordHash) {
        return create(INSERT_FIRST, email, passwordHash, "owner");
    }

    /** Makes a user with {@code role} in the default workspace, unless the email is taken. */
    public Created create(String email, String passwordHash, String role) {
        return create(INSERT, email, passwordHash, role);
    }

    private Created create(String insert, String email, String passwordHash, String role) {
        long now = clock.millis();
        Long id = database.writer().run(tx -> {
            if (Rows.update(tx, insert, email, passwordHash, now, now) == 0) return null;
            long made = Rows.one(tx, ID_OF, row -> row.getLong(1), email).orElseThrow();
            Rows.update(tx, MEMBER, made, DEFAULT_WORKSPACE, role, now);
            return made;
        });
        return id == null ? new Taken() : new Made(find(id).orElseThrow());
    }

    /**
     * Makes a user from an invitation, in one transaction that also marks the invitation used, so a
     * token used twice at once makes one user. Empty when the invitation is spent or expired, or the email taken; else
     * the user with their role in the invitation's workspace.
     */
    public Optional<UserRecord> acceptInvitation(String tokenHash, String email, String passwordHash) {
        long now = clock.millis();
        long[] made = database.writer().run(tx -> {
            InvitationRecord invitation = live(tx, tokenHash);
            if (invitation == null) return null;
            if (Rows.one(tx, ID_OF, row -> row.getLong(1), email).isPresent()) return null;
            Rows.update(tx, INSERT, email, passwordHash, now, now);
            long id = Rows.one(tx, ID_OF, row -> row.getLong(1), email).orElseThrow();
            if (Rows.update(tx, ACCEPT, now, id, tokenHash, now) == 0) throw new IllegalStateException("invitation raced");
            Rows.update(tx, MEMBER, id, invitation.workspaceId(), invitation.role(), now);
            return new long[] {id, invitation.workspaceId()};
        });
        return made == null ? Optional.empty() : find(made[0], made[1]);   // with the role in the invitation's workspace
    }

    /**
     * An existing user joins the invitation's workspace with its role, the invitation used up in the same
     * transaction; empty when the invitation is not live or the user is a member of that workspace already. Answers
     * the user with their role in the joined workspace.
     */
    public Optional<UserRecord> joinByInvitation(String tokenHash, long userId) {
        long now = clock.millis();
        Long workspace = database.writer().run(tx -> {
            InvitationRecord invitation = live(tx, tokenHash);
            if (invitation == null) return null;
            if (Rows.one(tx, IS_MEMBER, row -> row.getLong(1), userId, invitation.workspaceId()).isPresent()) return null;
            if (Rows.update(tx, ACCEPT, now, userId, tokenHash, now) == 0) return null;
            Rows.update(tx, MEMBER, userId, invitation.workspaceId(), invitation.role(), now);
            return invitation.workspaceId();
        });
        return workspace == null ? Optional.empty() : find(userId, workspace);
    }

    /** The invitation whose token hashes to {@code tokenHash} while it is unused and unexpired, else null. */
    private InvitationRecord live(Tx tx, String tokenHash) throws java.sql.SQLException {
        InvitationRecord invitation = Rows.one(tx, INVITATION, JdbcUserStore::invitation, tokenHash).orElse(null);
        boolean usable = invitation != null && invitation.acceptedAt() == null
                && invitation.expiresAt().isAfter(clock.instant());
        return usable ? invitation : null;
    }

    public Optional<UserRecord> findByEmail(String email) {
        return Rows.one(database.readers(), BY_EMAIL, JdbcUserStore::user, DEFAULT_WORKSPACE, email);
    }

    public Optional<UserRecord> find(long id) {
        return Rows.one(database.readers(), BY_ID, JdbcUserStore::user, DEFAULT_WORKSPACE, id);
    }

    /** The user with their role in workspace {@code workspaceId} (null when they are no member of it). */
    public Optional<UserRecord> find(long id, long workspaceId) {
        return Rows.one(database.readers(), BY_ID, JdbcUserStore::user, workspaceId, id);
    }

    /** The workspaces a user is a member of, with their role in each, oldest first. */
    public List<WorkspaceRecord> workspaces(long userId) {
        return Rows.list(database.readers(), WORKSPACES_OF, row -> new WorkspaceRecord(row.getLong("id"),
                row.getString("name"), Instant.ofEpochMilli(row.getLong("created_at")), row.getString("role")), userId);
    }

    /** The ids of every workspace on the server. */
    public java.util.Set<Long> workspaceIds() {
        return new java.util.HashSet<>(Rows.list(database.readers(), WORKSPACE_IDS, row -> row.getLong(1)));
    }

    /** Makes a workspace named {@code name} whose first member, an owner, is {@code ownerId} (null: nobody). */
    public WorkspaceRecord createWorkspace(String name, Long ownerId) {
        long now = clock.millis();
        long id = database.writer().run(tx -> {
            long made = Rows.one(tx, INSERT_WORKSPACE, row -> row.getLong(1), name, now).orElseThrow();
            if (ownerId != null) Rows.update(tx, MEMBER, ownerId, made, "owner", now);
            return made;
        });
        return new WorkspaceRecord(id, name, Instant.ofEpochMilli(now), ownerId == null ? null : "owner");
    }

    /** A workspace's name, empty when there is none with that id. */
    public Optional<String> workspaceName(long workspaceId) {
        return Rows.one(database.readers(), "SELECT name FROM workspaces WHERE id = ?", row -> row.getString(1),
                workspaceId);
    }

    /** Renames a workspace; false when there is none with that id. */
    public boolean renameWorkspace(long workspaceId, String name) {
        return database.writer().run(tx -> Rows.update(tx, RENAME_WORKSPACE, name, workspaceId)) > 0;
    }

    /**
     * What still lives in workspace {@code workspaceId} and keeps it from being deleted, by kind, only the kinds it
     * has: {@code flows} (not deleted), {@code server_keys} (not revoked), {@code credentials},
     * {@code knowledge_bases}, {@code mcp_servers}, {@code unfinished_tasks} (queued or running).
     */
    public Map<String, Integer> workspaceHolds(long workspaceId) {
        return holds(database.readers(), workspaceId);
    }

    /**
     * Deletes workspace {@code workspaceId} if it holds nothing ({@link #workspaceHolds}, checked again in the same
     * transaction), with its memberships and invitations; sessions in it move to another workspace of their user,
     * or end when the user has none. Answers what it still holds (then nothing is deleted), or an empty map. Its task
     * history (the finished tasks of its deleted flows, with their steps) is marked for {@link Retention}, which
     * deletes it in its next round; its audit log keeps the audit retention.
     */
    public Map<String, Integer> deleteWorkspace(long workspaceId) {
        if (workspaceId == DEFAULT_WORKSPACE) throw new IllegalArgumentException("the default workspace stays");
        return database.writer().run(tx -> {
            Map<String, Integer> left = Rows.one(tx, HOLDS, JdbcUserStore::holds, holdsParams(workspaceId)).orElseThrow();
            if (!left.isEmpty()) return left;
            Rows.update(tx, MOVE_SESSIONS, workspaceId, workspaceId, workspaceId);
            Rows.update(tx, END_WORKSPACE_SESSIONS, workspaceId);
            Rows.update(tx, DELETE_INVITATIONS, workspaceId);
            Rows.update(tx, DELETE_MEMBERSHIPS, workspaceId);
            Rows.update(tx, DELETE_WORKSPACE, workspaceId);
            Rows.update(tx, PURGE_WORKSPACE, workspaceId, clock.millis());
            return left;
        });
    }

    private static Map<String, Integer> holds(DataSource source, long workspaceId) {
        return Rows.one(source, HOLDS, JdbcUserStore::holds, holdsParams(workspaceId)).orElseThrow();
    }

    private static Object[] holdsParams(long workspaceId) {
        Object[] params = new Object[6];
        Arrays.fill(params, workspaceId);
        return params;
    }

    private static Map<String, Integer> holds(ResultSet row) throws SQLException {
        Map<String, Integer> left = new LinkedHashMap<>();
        for (String kind : List.of("flows", "server_keys", "credentials", "knowledge_bases", "mcp_servers",
                "unfinished_tasks")) {
            int count = row.getInt(kind);
            if (count > 0) left.put(kind, count);
        }
        return left;
    }

    /** The members of workspace {@code workspaceId}, each with their role there. */
    public List<UserRecord> members(long workspaceId) {
        return Rows.list(database.readers(), MEMBERS, JdbcUserStore::user, workspaceId);
    }

    /**
     * Sets a user's role in workspace {@code workspaceId} (making them a member); false when that would leave the
     * workspace without an enabled owner.
     */
    public boolean setRole(long userId, long workspaceId, String role) {
        return database.writer().run(tx -> {
            if (!"owner".equals(role) && Rows.one(tx, OWNERS, row -> row.getLong(1), workspaceId, userId).orElse(0L) == 0
                    && isOwner(tx, userId, workspaceId)) {
                return false;
            }
            Rows.update(tx, MEMBER, userId, workspaceId, role, clock.millis());
            return true;
        });
    }

    /** Takes a user out of workspace {@code workspaceId}; false when they are its last enabled owner or no member. */
    public boolean leave(long userId, long workspaceId) {
        return database.writer().run(tx -> {
            if (isOwner(tx, userId, workspaceId)
                    && Rows.one(tx, OWNERS, row -> row.getLong(1), workspaceId, userId).orElse(0L) == 0) {
                return false;
            }
            return Rows.update(tx, LEAVE, userId, workspaceId) > 0;
        });
    }

    private static boolean isOwner(Tx tx, long userId, long workspaceId) throws SQLException {
        return Rows.one(tx, BY_ID, JdbcUserStore::user, workspaceId, userId).map(u -> "owner".equals(u.role()))
                .orElse(false);
    }

    /** An invitation into workspace {@code workspaceId}. */
    public InvitationRecord invite(long workspaceId, String tokenHash, String role, String createdBy, Instant expiresAt) {
        long now = clock.millis();
        database.writer().run(tx -> Rows.update(tx, INVITE, tokenHash, workspaceId, role, createdBy, now,
                expiresAt.toEpochMilli()));
        return invitation(tokenHash).orElseThrow();
    }

    public List<UserRecord> list() {
        return Rows.list(database.readers(), ALL, JdbcUserStore::user, DEFAULT_WORKSPACE);
    }

    /**
     * Sets a user's role in the default workspace; false when that would leave the workspace without an enabled
     * owner (the last owner cannot step down).
     */
    public boolean setRole(long userId, String role) {
        return database.writer().run(tx -> {
            if (!"owner".equals(role) && otherOwners(tx, userId) == 0) return false;
            Rows.update(tx, MEMBER, userId, DEFAULT_WORKSPACE, role, clock.millis());
            return true;
        });
    }

    /** Sets a new password hash and ends every session of the user, in one transaction. */
    public void setPassword(long userId, String passwordHash) {
        database.writer().run(tx -> {
            Rows.update(tx, SET_PASSWORD, passwordHash, clock.millis(), userId);
            return Rows.update(tx, END_SESSIONS, userId);
        });
    }

    /** Replaces an old-scheme hash by a new one of the same password, unless it changed meanwhile. */
    public void rehash(long userId, String oldHash, String newHash) {
        database.writer().run(tx -> Rows.update(tx, REHASH, newHash, userId, oldHash));
    }

    /**
     * Disables a user and ends all their sessions in one transaction; false when it would leave no enabled owner.
     */
    public boolean disable(long userId) {
        return database.writer().run(tx -> {
            if (otherOwners(tx, userId) == 0 && Rows.one(tx, BY_ID, JdbcUserStore::user, DEFAULT_WORKSPACE, userId)
                    .map(u -> "owner".equals(u.role())).orElse(false)) {
                return false;
            }
            Rows.update(tx, DISABLE, clock.millis(), userId);
            Rows.update(tx, END_SESSIONS, userId);
            return true;
        });
    }

    public void enable(long userId) {
        database.writer().run(tx -> Rows.update(tx, ENABLE, userId));
    }

    public InvitationRecord invite(String tokenHash, String role, String createdBy, Instant expiresAt) {
        long now = clock.millis();
        database.writer().run(tx -> Rows.update(tx, INVITE, tokenHash, DEFAULT_WORKSPACE, role, createdBy, now,
                expiresAt.toEpochMilli()));
        return invitation(tokenHash).orElseThrow();
    }

    public Optional<InvitationRecord> invitation(String tokenHash) {
        return Rows.one(database.readers(), INVITATION, JdbcUserStore::invitation, tokenHash);
    }

    private static long otherOwners(Tx tx, long userId) throws SQLException {
        return Rows.one(tx, OWNERS, row -> row.getLong(1), DEFAULT_WORKSPACE, userId).orElse(0L);
    }

    private static UserRecord user(ResultSet row) throws SQLException {
        Long disabled = Rows.longOrNull(row, "disabled_at");
        return new UserRecord(row.getLong("id"), row.getString("email"), row.getString("password_hash"),
                disabled == null ? null : Instant.ofEpochMilli(disabled), Instant.ofEpochMilli(row.getLong("created_at")),
                Instant.ofEpochMilli(row.getLong("password_changed_at")), row.getString("role"));
    }

    private static InvitationRecord invitation(ResultSet row) throws SQLException {
        Long accepted = Rows.longOrNull(row, "accepted_at");
        return new InvitationRecord(row.getString("token_hash"), row.getLong("workspace_id"), row.getString("role"),
                row.getString("created_by"), Instant.ofEpochMilli(row.getLong("created_at")),
                Instant.ofEpochMilli(row.getLong("expires_at")), accepted == null ? null : Instant.ofEpochMilli(accepted));
    }
}
