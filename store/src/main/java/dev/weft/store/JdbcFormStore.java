package dev.weft.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The hosted forms of flows: created, found by token, changed, deleted; and the submissions that started tasks,
 * each written in the same transaction as its task (an {@link AcceptHook}), found by its handle's digest.
 */
public final class JdbcFormStore {

    private static final String COLUMNS =
            "id, flow_id, token, title, description, password, cookie_key, enabled, created_at, updated_at";
    private static final String INSERT = """
            INSERT INTO forms (flow_id, token, title, description, password, cookie_key, enabled, created_at,
            updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String UPDATE = """
            UPDATE forms SET token = ?, title = ?, description = ?, password = ?, cookie_key = ?, enabled = ?,
            updated_at = ? WHERE id = ? AND flow_id = ?""";
    private static final String BY_ID = "SELECT " + COLUMNS + " FROM forms WHERE id = ? AND flow_id = ?";
    private static final String BY_TOKEN = "SELECT " + COLUMNS + " FROM forms WHERE token = ?";
    private static final String BY_FLOW = "SELECT " + COLUMNS + " FROM forms WHERE flow_id = ? ORDER BY id";
    private static final String DELETE = "DELETE FROM forms WHERE id = ? AND flow_id = ?";
    private static final String LAST_ID = "SELECT id FROM forms WHERE token = ?";
    private static final String INSERT_SUBMISSION =
            "INSERT INTO form_submissions (handle, form_id, task_id, created_at) VALUES (?, ?, ?, ?)";
    private static final String SUBMISSION = "SELECT task_id FROM form_submissions WHERE handle = ? AND form_id = ?";

    private final Database database;
    private final Clock clock;

    public JdbcFormStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Stores a new form of {@code flowId} (the caller checks that the flow exists). */
    public FormRecord create(long flowId, FormRecord.Settings settings) {
        long now = clock.millis();
        long id = database.writer().run(tx -> {
            Rows.update(tx, INSERT, flowId, settings.token(), settings.title(), settings.description(),
                    settings.password(), settings.cookieKey(), settings.enabled() ? 1 : 0, now, now);
            return Rows.one(tx, LAST_ID, row -> row.getLong(1), settings.token()).orElseThrow();
        });
        return find(flowId, id).orElseThrow();
    }

    /** Replaces a form's settings; empty when the flow has no such form. */
    public Optional<FormRecord> update(long flowId, long id, FormRecord.Settings settings) {
        int changed = database.writer().run(tx -> Rows.update(tx, UPDATE, settings.token(), settings.title(),
                settings.description(), settings.password(), settings.cookieKey(), settings.enabled() ? 1 : 0,
                clock.millis(), id, flowId));
        return changed == 0 ? Optional.empty() : find(flowId, id);
    }

    public Optional<FormRecord> find(long flowId, long id) {
        return Rows.one(database.readers(), BY_ID, JdbcFormStore::of, id, flowId);
    }

    /** The form a link's token names, enabled or not. */
    public Optional<FormRecord> byToken(String token) {
        return Rows.one(database.readers(), BY_TOKEN, JdbcFormStore::of, token);
    }

    public List<FormRecord> list(long flowId) {
        return Rows.list(database.readers(), BY_FLOW, JdbcFormStore::of, flowId);
    }

    /** Deletes the form (its link stops working); false when the flow has no such form. */
    public boolean delete(long flowId, long id) {
        return database.writer().run(tx -> Rows.update(tx, DELETE, id, flowId)) > 0;
    }

    /** What records a submission with the task it starts, in the task's own transaction. */
    public AcceptHook submission(long formId, String handleDigest) {
        long now = clock.millis();
        return new AcceptHook() {
            @Override
            public void inserted(Tx tx, long taskId) throws SQLException {
                Rows.update(tx, INSERT_SUBMISSION, handleDigest, formId, taskId, now);
            }
        };
    }

    /** The task that the submission with {@code handleDigest} to form {@code formId} started. */
    public Optional<Long> submittedTask(long formId, String handleDigest) {
        return Rows.one(database.readers(), SUBMISSION, row -> row.getLong(1), handleDigest, formId);
    }


    private static FormRecord of(ResultSet row) throws SQLException {
        return new FormRecord(row.getLong("id"), row.getLong("flow_id"), row.getString("token"),
                row.getString("title"), row.getString("description"), row.getString("password"),
                row.getString("cookie_key"), row.getInt("enabled") == 1,
                Instant.ofEpochMilli(row.getLong("created_at")), Instant.ofEpochMilli(row.getLong("updated_at")));
    }
}
