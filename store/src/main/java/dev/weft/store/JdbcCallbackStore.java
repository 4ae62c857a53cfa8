package dev.weft.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Completion callbacks and their delivery attempts. A callback is written with its task ('waiting'), becomes
 * 'pending' once the task has finished, is claimed for a delivery under a lease (any process may deliver it; one
 * that dies mid-delivery leaves it to be claimed again when the lease ends), and ends 'delivered' or 'failed'.
 * Every attempt is kept. Also keeps this Weft's settings shared by its processes (the signing secret).
 */
public final class JdbcCallbackStore {

    /** A callback as the API shows it, with every attempt so far. */
    public record Callback(long id, long taskId, String url, String state, int attempts, Instant nextAt,
                           Instant createdAt, Instant dueSince, Instant finishedAt, List<DeliveryAttempt> history) {}

    /** One delivery attempt: when, how long, the receiver's status code (null: no answer) or what went wrong. */
    public record DeliveryAttempt(int number, Instant startedAt, long durationMs, Integer statusCode, String error) {}

    /** A callback claimed for a delivery: this is attempt number {@code attempt}; due since {@code dueSince}. */
    public record Due(long id, long taskId, String url, int attempt, Instant dueSince) {}

    private static final String INSERT = """
            INSERT INTO callbacks (task_id, url, state, attempts, created_at) VALUES (?, ?, 'waiting', 0, ?)""";
    private static final String FINISHED_WAITING = """
            SELECT c.id FROM callbacks c WHERE c.state = 'waiting' AND EXISTS (
                SELECT 1 FROM tasks t WHERE t.id = c.task_id AND t.state IN ('completed', 'failed', 'cancelled'))
            LIMIT ?""";
    private static final String PROMOTE = """
            UPDATE callbacks SET state = 'pending', next_at = ?, due_since = ?
            WHERE state = 'waiting' AND id IN (${id_list})""";
    private static final String PROMOTE_TASK = """
            UPDATE callbacks SET state = 'pending', next_at = ?, due_since = ? WHERE task_id = ? AND state = 'waiting'""";
    private static final String CLAIM = """
            WITH due AS MATERIALIZED (
                SELECT id FROM callbacks WHERE state = 'pending' AND next_at <= ? ORDER BY next_at LIMIT ? ${skip_locked})
            UPDATE callbacks SET next_at = ?, attempts = attempts + 1
            WHERE state = 'pending' AND id IN (SELECT id FROM due)
            RETURNING id, task_id, url, attempts, due_since""";
    private static final String INSERT_ATTEMPT = """
            INSERT INTO callback_attempts (callback_id, number, started_at, duration_ms, status_code, error)
            VALUES (?, ?, ?, ?, ?, ?)""";
    private static final String DELIVERED = """
            UPDATE callbacks SET state = 'delivered', finished_at = ?, next_at = NULL WHERE id = ? AND state = 'pending'""";
    private static final String RETRY_AT = "UPDATE callbacks SET next_at = ? WHERE id = ? AND state = 'pending'";
    private static final String GAVE_UP = """
            UPDATE callbacks SET state = 'failed', finished_at = ?, next_at = NULL WHERE id = ? AND state = 'pending'""";
    private static final String EARLIEST_DUE = "SELECT MIN(next_at) FROM callbacks WHERE state = 'pending'";
    private static final String FOR_TASK = """
            SELECT id, task_id, url, state, attempts, next_at, created_at, due_since, finished_at
            FROM callbacks WHERE task_id = ?""";
    private static final String ATTEMPTS = """
            SELECT number, started_at, duration_ms, status_code, error FROM callback_attempts
            WHERE callback_id = ? ORDER BY number""";
    private static final String SETTING = "SELECT value FROM server_settings WHERE name = ?";
    private static final String SETTING_INSERT = """
            INSERT INTO server_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING""";

    private final Database database;
    private final Clock clock;
    private final String promote;
    private final String claim;

    public JdbcCallbackStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.promote = database.dialect().sql(PROMOTE);
        this.claim = database.dialect().sql(CLAIM);
    }

    /** The hook that writes a task's callback in the transaction that accepts the task. */
    public AcceptHook register(String url) {
        return new AcceptHook() {
            @Override
            public void inserted(Tx tx, long taskId) throws SQLException {
                Rows.update(tx, INSERT, taskId, url, clock.millis());
            }
        };
    }

    /** Makes the task's callback due now (its task just finished); the future completes once that is committed. */
    public java.util.concurrent.CompletableFuture<Integer> taskFinished(long taskId) {
        long now = clock.millis();
        return database.writer().submit(tx -> Rows.update(tx, PROMOTE_TASK, now, now, taskId));
    }

    /** Makes due the waiting callbacks whose task has finished (anywhere); returns how many. */
    public int promoteFinished(int limit) {
        List<Long> ids = Rows.list(database.readers(), FINISHED_WAITING, row -> row.getLong(1), limit);
        if (ids.isEmpty()) return 0;
        long now = clock.millis();
        return database.writer().run(tx -> Rows.update(tx, promote, now, now, dev.weft.json.Json.write(ids)));
    }

    /** Claims at most {@code limit} due callbacks for delivery by this process, each for {@code lease}. */
    public List<Due> claimDue(int limit, Duration lease) {
        long now = clock.millis();
        return database.writer().run(tx -> Rows.list(tx, claim, JdbcCallbackStore::due, now, limit,
                now + lease.toMillis()));
    }

    /** Records an attempt that the receiver accepted: the callback is delivered. */
    public void delivered(Due due, DeliveryAttempt attempt) {
        long now = clock.millis();
        database.writer().run(tx -> {
            insertAttempt(tx, due.id(), attempt);
            return Rows.update(tx, DELIVERED, now, due.id());
        });
    }

    /** Records a failed attempt; the next one is due at {@code retryAt}, or, when null, the callback has failed. */
    public void failed(Due due, DeliveryAttempt attempt, Instant retryAt) {
        long now = clock.millis();
        database.writer().run(tx -> {
            insertAttempt(tx, due.id(), attempt);
            return retryAt == null ? Rows.update(tx, GAVE_UP, now, due.id())
                    : Rows.update(tx, RETRY_AT, retryAt.toEpochMilli(), due.id());
        });
    }

    /** When the earliest pending callback is due, if any is. */
    public Optional<Instant> earliestDue() {
        List<Instant> earliest = Rows.list(database.readers(), EARLIEST_DUE, row -> {
            long millis = row.getLong(1);
            return row.wasNull() ? null : Instant.ofEpochMilli(millis);
        });
        return earliest.isEmpty() ? Optional.empty() : Optional.ofNullable(earliest.get(0));
    }

    /** The task's callback with its attempts. */
    public Optional<Callback> forTask(long taskId) {
        return Rows.one(database.readers(), FOR_TASK, JdbcCallbackStore::callback, taskId).map(c -> {
            List<DeliveryAttempt> history = Rows.list(database.readers(), ATTEMPTS, a -> new DeliveryAttempt(
                    a.getInt("number"), Instant.ofEpochMilli(a.getLong("started_at")), a.getLong("duration_ms"),
                    integerOrNull(a, "status_code"), a.getString("error")), c.id());
            return new Callback(c.id(), c.taskId(), c.url(), c.state(), c.attempts(), c.nextAt(), c.createdAt(),
                    c.dueSince(), c.finishedAt(), history);
        });
    }

    /**
     * The setting {@code name}; when it has none yet, {@code fresh} is stored, unless another process stored a
     * value first (that one wins), so that every process of this Weft uses the same value.
     */
    public String setting(String name, Supplier<String> fresh) {
        Optional<String> value = Rows.one(database.readers(), SETTING, row -> row.getString(1), name);
        if (value.isPresent()) return value.get();
        String made = fresh.get();
        database.writer().run(tx -> Rows.update(tx, SETTING_INSERT, name, made));
        return Rows.one(database.readers(), SETTING, row -> row.getString(1), name).orElseThrow();
    }

    private static void insertAttempt(Tx tx, long callbackId, DeliveryAttempt a) throws SQLException {
        Rows.update(tx, INSERT_ATTEMPT, callbackId, a.number(), a.startedAt().toEpochMilli(), a.durationMs(),
                a.statusCode(), a.error());
    }

    private static Callback callback(ResultSet row) throws SQLException {
        return new Callback(row.getLong("id"), row.getLong("task_id"), row.getString("url"), row.getString("state"),
                row.getInt("attempts"), instant(row, "next_at"), Instant.ofEpochMilli(row.getLong("created_at")),
                instant(row, "due_since"), instant(row, "finished_at"), List.of());
    }

    private static Due due(ResultSet row) throws SQLException {
        return new Due(row.getLong("id"), row.getLong("task_id"), row.getString("url"), row.getInt("attempts"),
                instant(row, "due_since"));
    }

    private static Integer integerOrNull(ResultSet row, String column) throws SQLException {
        int value = row.getInt(column);
        return row.wasNull() ? null : value;
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Long millis = Rows.longOrNull(row, column);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
