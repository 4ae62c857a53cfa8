package dev.weft.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Webhook triggers: created with a token hash, found by it, listed per flow, changed, given a new token, revoked,
 * deleted; and the {@link Mark} that commits, with a task a webhook started, which webhook it was and the delivery's
 * replay key.
 */
public final class JdbcWebhookStore {

    private static final String COLUMNS =
            "id, flow_id, name, token_hash, settings, created_at, updated_at, rotated_at, revoked_at";
    private static final String INSERT = """
            INSERT INTO webhooks (id, flow_id, name, token_hash, settings, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM webhooks WHERE id = ?";
    private static final String SELECT_BY_TOKEN = "SELECT " + COLUMNS + " FROM webhooks WHERE token_hash = ?";
    private static final String SELECT_OF_FLOW = "SELECT " + COLUMNS
            + " FROM webhooks WHERE flow_id = ? ORDER BY created_at, id";
    private static final String SELECT_LIVE = "SELECT " + COLUMNS
            + " FROM webhooks WHERE revoked_at IS NULL ORDER BY flow_id, created_at, id";
    private static final String UPDATE = "UPDATE webhooks SET name = ?, settings = ?, updated_at = ? WHERE id = ?";
    private static final String ROTATE = """
            UPDATE webhooks SET token_hash = ?, rotated_at = ?, revoked_at = NULL, updated_at = ? WHERE id = ?""";
    private static final String REVOKE = """
            UPDATE webhooks SET revoked_at = ?, updated_at = ? WHERE id = ? AND revoked_at IS NULL""";
    private static final String DELETE = "DELETE FROM webhooks WHERE id = ?";
    private static final String MARK = "INSERT INTO webhook_tasks (task_id, webhook_id) VALUES (?, ?)";
    private static final String TASKS = "SELECT " + TaskRows.TASK_COLUMNS + """
             FROM tasks WHERE id IN (SELECT task_id FROM webhook_tasks WHERE webhook_id = ? AND task_id < ?)
            ORDER BY id DESC LIMIT ?""";
    // the delivery's key is claimed before the task is inserted: a second delivery with it finds the first's task
    private static final String DELETE_OLD_DELIVERIES = "DELETE FROM webhook_deliveries WHERE webhook_id = ? AND created_at < ?";
    private static final String CLAIM_DELIVERY = """
            INSERT INTO webhook_deliveries (webhook_id, delivery_key, created_at) VALUES (?, ?, ?)
            ON CONFLICT (webhook_id, delivery_key) DO NOTHING""";
    private static final String DELIVERY_TASK = """
            SELECT task_id FROM webhook_deliveries WHERE webhook_id = ? AND delivery_key = ?""";
    private static final String LINK_DELIVERY = """
            UPDATE webhook_deliveries SET task_id = ? WHERE webhook_id = ? AND delivery_key = ?""";

    private final Database database;
    private final Clock clock;

    public JdbcWebhookStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public WebhookRecord create(String id, long flowId, String name, String tokenHash, JsonNode settings) {
        long now = clock.millis();
        database.writer().run(tx -> Rows.update(tx, INSERT, id, flowId, name, tokenHash, Json.write(settings), now, now));
        return find(id).orElseThrow();
    }

    public Optional<WebhookRecord> find(String id) {
        return Rows.one(database.readers(), SELECT, JdbcWebhookStore::webhook, id);
    }

    /** The webhook whose token hashes to {@code tokenHash}, revoked or not. */
    public Optional<WebhookRecord> findByToken(String tokenHash) {
        return Rows.one(database.readers(), SELECT_BY_TOKEN, JdbcWebhookStore::webhook, tokenHash);
    }

    public List<WebhookRecord> ofFlow(long flowId) {
        return Rows.list(database.readers(), SELECT_OF_FLOW, JdbcWebhookStore::webhook, flowId);
    }

    /** Every webhook whose token starts tasks (not revoked), of every flow. */
    public List<WebhookRecord> live() {
        return Rows.list(database.readers(), SELECT_LIVE, JdbcWebhookStore::webhook);
    }

    /** Replaces the name and settings; empty when there is no such webhook. */
    public Optional<WebhookRecord> update(String id, String name, JsonNode settings) {
        int changed = database.writer().run(tx -> Rows.update(tx, UPDATE, name, Json.write(settings), clock.millis(), id));
        return changed == 0 ? Optional.empty() : find(id);
    }

    /** A new token (the old one stops working at once); a revoked webhook is live again. Empty when there is none. */
    public Optional<WebhookRecord> rotate(String id, String tokenHash) {
        long now = clock.millis();
        int changed = database.writer().run(tx -> Rows.update(tx, ROTATE, tokenHash, now, now, id));
        return changed == 0 ? Optional.empty() : find(id);
    }

    /** Revokes the webhook; false when there is none or it was revoked already. */
    public boolean revoke(String id) {
        long now = clock.millis();
        return database.writer().run(tx -> Rows.update(tx, REVOKE, now, now, id)) > 0;
    }

    public boolean delete(String id) {
        return database.writer().run(tx -> Rows.update(tx, DELETE, id)) > 0;
    }


    /** The newest tasks the webhook started, with ids below {@code beforeId}, at most {@code limit}. */
    public List<TaskRecord> tasks(String webhookId, long beforeId, int limit) {
        return Rows.list(database.readers(), TASKS, TaskRows::task, webhookId, beforeId,
                Math.max(1, Math.min(limit, JdbcTaskList.LIMIT_MAX)));
    }

    /**
     * The hook that marks a task with the webhook that started it; with a {@code deliveryKey}, it first claims the
     * key for {@code window} (a repeat within it answers with the first delivery's task, inserting nothing).
     */
    public Mark mark(String webhookId, String deliveryKey, Duration window) {
        return new Mark(webhookId, deliveryKey, window);
    }

    private static WebhookRecord webhook(ResultSet row) throws SQLException {
        return new WebhookRecord(row.getString("id"), row.getLong("flow_id"), row.getString("name"),
                row.getString("token_hash"), Json.read(row.getString("settings")), instant(row, "created_at"),
                instant(row, "updated_at"), instant(row, "rotated_at"), instant(row, "revoked_at"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Long millis = Rows.longOrNull(row, column);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    /** One task's mark, as an {@link AcceptHook}; {@link #replayed()} tells whether its delivery key was seen. */
    public final class Mark implements AcceptHook {

        private final String webhookId;
        private final String deliveryKey;
        private final Duration window;
        private volatile boolean replayed;

        private Mark(String webhookId, String deliveryKey, Duration window) {
            this.webhookId = webhookId;
            this.deliveryKey = deliveryKey;
            this.window = window;
        }

        @Override
        public Long existing(Tx tx) throws SQLException {
            if (deliveryKey == null) return null;
            long now = clock.millis();
            Rows.update(tx, DELETE_OLD_DELIVERIES, webhookId, now - window.toMillis());
            if (Rows.update(tx, CLAIM_DELIVERY, webhookId, deliveryKey, now) > 0) return null;
            replayed = true;
            long taskId = Rows.one(tx, DELIVERY_TASK, row -> row.getLong("task_id"), webhookId, deliveryKey)
                    .orElse(0L);
            if (taskId == 0) throw new IllegalStateException("delivery '" + deliveryKey + "' is claimed but has no task");
            return taskId;
        }

        @Override
        public void inserted(Tx tx, long taskId) throws SQLException {
            Rows.update(tx, MARK, taskId, webhookId);
            if (deliveryKey != null) Rows.update(tx, LINK_DELIVERY, taskId, webhookId, deliveryKey);
        }

        /** Whether the accept found the delivery key taken: a replay, answered with the first delivery's task. */
        public boolean replayed() {
            return replayed;
        }
    }
}
