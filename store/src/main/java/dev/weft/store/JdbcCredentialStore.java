package dev.weft.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.weft.json.Json;
import dev.weft.node.Credentials;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stored credentials, encrypted with a {@link CredentialCipher}: created, listed and deleted by name; nodes read a
 * secret through {@link Credentials#find}; a secret can be rotated (replaced, the name kept). Listing never decrypts
 * anything.
 */
public final class JdbcCredentialStore implements Credentials {


    /**
     * A credential without its secret: what the API may show. {@code hosts} empty: any host; {@code rotatedAt}
     * null: the secret is the one it was created with.
     */
    public record CredentialInfo(String name, Credentials.Type type, String description, List<String> hosts,
                                 Instant createdAt, Instant rotatedAt) {}

    private static final String INSERT = """
            INSERT INTO credentials (name, type, description, secret, hosts, created_at, updated_at, workspace_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String INFO_COLUMNS = "name, type, description, hosts, created_at, rotated_at";
    private static final String SELECT_INFO = "SELECT " + INFO_COLUMNS + " FROM credentials WHERE name = ? AND workspace_id = ?";
    private static final String SELECT_ALL = "SELECT " + INFO_COLUMNS + " FROM credentials WHERE workspace_id = ? ORDER BY name";
    private static final String SELECT_SECRET = """
            SELECT secret, hosts, type FROM credentials WHERE name = ? AND workspace_id = ?""";
    /** A task's credential: the one of that name in the task's workspace, found in the same read. */
    private static final String SELECT_TASK_SECRET = """
            SELECT c.secret, c.hosts, c.type FROM credentials c JOIN tasks t ON t.workspace_id = c.workspace_id
            WHERE c.name = ? AND t.id = ?""";
    /** A flow's credential: the one of that name in the flow's workspace (a webhook's shared secret). */
    private static final String SELECT_FLOW_SECRET = """
            SELECT c.secret, c.hosts, c.type FROM credentials c JOIN flows f ON f.workspace_id = c.workspace_id
            WHERE c.name = ? AND f.id = ?""";
    private static final String ROTATE = """
            UPDATE credentials SET secret = ?, rotated_at = ?, updated_at = ? WHERE name = ? AND workspace_id = ?""";
    private static final String DELETE = "DELETE FROM credentials WHERE name = ? AND workspace_id = ?";

    private final Database database;
    private final CredentialCipher cipher;
    private final Clock clock;

    public JdbcCredentialStore(Database database, CredentialCipher cipher, Clock clock) {
        this.database = database;
        this.cipher = cipher;
        this.clock = clock;
    }

    /** The credentials of one workspace: every change and read through it stays inside that workspace. */
    public Workspace in(long workspaceId) {
        return new Workspace(workspaceId);
    }

    /** Stores a new key ({@code api_key}) in the default workspace; empty when the name is taken. */
    public Optional<CredentialInfo> create(String name, String description, String secret, List<String> hosts) {
        return in(Database.DEFAULT_WORKSPACE).create(name, description, secret, hosts);
    }

    /** Stores a new credential of {@code type} in the default workspace; empty when the name is taken. */
    public Optional<CredentialInfo> create(String name, Credentials.Type type, String description, String secret,
                                           List<String> hosts) {
        return in(Database.DEFAULT_WORKSPACE).create(name, type, description, secret, hosts);
    }

    /** The default workspace's credential without its secret. */
    public Optional<CredentialInfo> info(String name) {
        return in(Database.DEFAULT_WORKSPACE).info(name);
    }

    public List<CredentialInfo> list() {
        return in(Database.DEFAULT_WORKSPACE).list();
    }

    public Optional<CredentialInfo> rotate(String name, String secret) {
        return in(Database.DEFAULT_WORKSPACE).rotate(name, secret);
    }

    public boolean delete(String name) {
        return in(Database.DEFAULT_WORKSPACE).delete(name);
    }

    /** The default workspace's credential (a caller with no task: the server's own use). */
    @Override
    public Optional<Credential> find(String name) {
        return in(Database.DEFAULT_WORKSPACE).find(name);
    }

    /** The credential of that name in the workspace of task {@code taskId}: each run uses its own workspace's. */
    @Override
    public Optional<Credential> find(long taskId, String name) {
        return Rows.one(database.readers(), SELECT_TASK_SECRET,
                row -> new Credential(cipher.open(name, row.getString("secret")), hosts(row), type(row)), name, taskId);
    }

    /** The credential of that name in the workspace of flow {@code flowId} (what its webhooks and forms use). */
    public Optional<Credential> findForFlow(long flowId, String name) {
        return Rows.one(database.readers(), SELECT_FLOW_SECRET,
                row -> new Credential(cipher.open(name, row.getString("secret")), hosts(row), type(row)), name, flowId);
    }

    /** The credentials of one workspace. */
    public final class Workspace implements Credentials {

        private final long id;

        private Workspace(long id) {
            this.id = id;
        }

        /** Stores a new key ({@code api_key}), to be sent only to {@code hosts} (empty: any); empty when taken. */
        public Optional<CredentialInfo> create(String name, String description, String secret, List<String> hosts) {
            return create(name, Credentials.Type.API_KEY, description, secret, hosts);
        }

        /**
         * Stores a new credential of {@code type} (its secret as {@link Credentials.Credential} reads it), to be
         * sent only to {@code hosts} (empty: any); empty when the name is taken in this workspace.
         */
        public Optional<CredentialInfo> create(String name, Credentials.Type type, String description, String secret,
                                               List<String> hosts) {
            String sealed = cipher.seal(name, secret);
            String hostList = hosts.isEmpty() ? null : Json.write(hosts);
            long now = clock.millis();
            boolean created = database.writer().run(tx -> {
                if (Rows.one(tx, SELECT_INFO, JdbcCredentialStore::infoOf, name, id).isPresent()) return false;
                Rows.update(tx, INSERT, name, type.id(), description, sealed, hostList, now, now, id);
                return true;
            });
            return created ? info(name) : Optional.empty();
        }

        /** The credential without its secret. */
        public Optional<CredentialInfo> info(String name) {
            return Rows.one(database.readers(), SELECT_INFO, JdbcCredentialStore::infoOf, name, id);
        }

        public List<CredentialInfo> list() {
            return Rows.list(database.readers(), SELECT_ALL, JdbcCredentialStore::infoOf, id);
        }

        /** Replaces the secret (same type and name) and records when; empty when there is none of that name. */
        public Optional<CredentialInfo> rotate(String name, String secret) {
            String sealed = cipher.seal(name, secret);
            long now = clock.millis();
            int updated = database.writer().run(tx -> Rows.update(tx, ROTATE, sealed, now, now, name, id));
            return updated == 0 ? Optional.empty() : info(name);
        }

        /** Deletes the credential; false when there is none of that name. */
        public boolean delete(String name) {
            return database.writer().run(tx -> Rows.update(tx, DELETE, name, id)) > 0;
        }

        @Override
        public Optional<Credential> find(String name) {
            return Rows.one(database.readers(), SELECT_SECRET,
                    row -> new Credential(cipher.open(name, row.getString("secret")), hosts(row), type(row)), name, id);
        }
    }

    private static CredentialInfo infoOf(ResultSet row) throws SQLException {
        long rotated = row.getLong("rotated_at");
        Instant rotatedAt = row.wasNull() ? null : Instant.ofEpochMilli(rotated);
        return new CredentialInfo(row.getString("name"), type(row), row.getString("description"), hosts(row),
                Instant.ofEpochMilli(row.getLong("created_at")), rotatedAt);
    }

    private static Credentials.Type type(ResultSet row) throws SQLException {
        String type = row.getString("type");
        return Credentials.Type.of(type).orElseThrow(() -> new IllegalStateException(
                "a stored credential's type is one of api_key, bearer, basic, headers (found " + type + ")"));
    }

    private static List<String> hosts(ResultSet row) throws SQLException {
        String hosts = row.getString("hosts");
        return hosts == null ? List.of()
                : Json.MAPPER.convertValue(Json.read(hosts), new TypeReference<List<String>>() {});
    }
}
