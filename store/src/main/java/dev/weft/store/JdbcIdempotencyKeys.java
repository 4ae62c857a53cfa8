package dev.weft.store;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Idempotency keys of execute requests: a key, within its scope (the server key that sent it), names one task for
 * a while ({@code window}); the request's hash tells a repeat of the same request from a different one. A key is
 * claimed in the transaction that inserts its task, so two requests with one key never make two tasks, even from
 * two processes.
 */
public final class JdbcIdempotencyKeys {

    /** A remembered key: the hash of the request that used it first, and the task that request made. */
    public record Entry(String requestHash, long taskId, Instant createdAt) {}

    private static final String SELECT = """
            SELECT request_hash, task_id, created_at FROM idempotency_keys
            WHERE scope = ? AND idem_key = ? AND created_at >= ? AND task_id IS NOT NULL""";
    private static final String DELETE_EXPIRED = """
            DELETE FROM idempotency_keys WHERE scope = ? AND idem_key = ? AND created_at < ?""";
    private static final String CLAIM = """
            INSERT INTO idempotency_keys (scope, idem_key, request_hash, created_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (scope, idem_key) DO NOTHING""";
    private static final String LINK = "UPDATE idempotency_keys SET task_id = ? WHERE scope = ? AND idem_key = ?";
    private static final String PRUNE = "DELETE FROM idempotency_keys WHERE created_at < ?";

    private final Database database;
    private final Clock clock;
    private final Duration window;

    public JdbcIdempotencyKeys(Database database, Clock clock, Duration window) {
        this.database = database;
        this.clock = clock;
        this.window = window;
    }

    /** The key's entry while it is remembered. */
    public Optional<Entry> find(String scope, String key) {
        return Rows.one(database.readers(), SELECT, JdbcIdempotencyKeys::entry, scope, key,
                clock.millis() - window.toMillis());
    }

    /**
     * The hook that claims the key in the accept's transaction; when the key is taken already (a concurrent
     * request), the accept answers with that request's task and {@link Claim#found()} tells its hash.
     */
    public Claim claim(String scope, String key, String requestHash) {
        return new Claim(scope, key, requestHash);
    }

    /** Forgets keys older than the window; returns how many. */
    public int prune() {
        long before = clock.millis() - window.toMillis();
        return database.writeAside(tx -> Rows.update(tx, PRUNE, before));
    }

    private static Entry entry(java.sql.ResultSet row) throws SQLException {
        return new Entry(row.getString("request_hash"), row.getLong("task_id"),
                Instant.ofEpochMilli(row.getLong("created_at")));
    }

    /** One claim of a key, as an {@link AcceptHook}. */
    public final class Claim implements AcceptHook {

        private final String scope;
        private final String key;
        private final String requestHash;
        private volatile Entry found;

        private Claim(String scope, String key, String requestHash) {
            this.scope = scope;
            this.key = key;
            this.requestHash = requestHash;
        }

        @Override
        public Long existing(Tx tx) throws SQLException {
            long now = clock.millis();
            Rows.update(tx, DELETE_EXPIRED, scope, key, now - window.toMillis());
            if (Rows.update(tx, CLAIM, scope, key, requestHash, now) > 0) return null;
            found = Rows.one(tx, SELECT, JdbcIdempotencyKeys::entry, scope, key, now - window.toMillis())
                    .orElseThrow(() -> new IllegalStateException("idempotency key '" + key + "' is claimed but has "
                            + "no task: its request is still being accepted"));
            return found.taskId();
        }

        @Override
        public void inserted(Tx tx, long taskId) throws SQLException {
            Rows.update(tx, LINK, taskId, scope, key);
        }

        /** The entry found when the key was taken already; null when this claim made the task. */
        public Entry found() {
            return found;
        }
    }
}
