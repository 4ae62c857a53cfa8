package dev.weft.store;

import static dev.weft.store.TaskRows.json;
import static dev.weft.store.TaskRows.millis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.task.StepRecord;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Accepting tasks into the task table: one {@link #accept} commits a new task (queued, claimed by this process, or
 * finished) with the steps it starts with and what an {@link AcceptHook} writes, in one transaction; when this
 * returns, the task survives a crash.
 */
public final class JdbcTaskAccept {

    /** Rows per statement when a new task's steps are inserted together (each row count is its own statement). */
    static final int STEP_ROWS_PER_INSERT = 64;

    /**
     * Inserted only while the flow exists and, for a task that runs the flow's latest version as the caller last
     * knew it ({@link NewTask#asLatest()}), while no newer version is published: the execute path's latest-version
     * guess is checked in the insert itself instead of by a read of its own. The casts type the {@code SELECT} list's
     * parameters for PostgreSQL.
     */
    private static final String FLOW_CHECK = """
             WHERE EXISTS (SELECT 1 FROM flows f WHERE f.id = ? AND f.deleted_at IS NULL AND (CAST(? AS INTEGER) = 0
                 OR NOT EXISTS (SELECT 1 FROM flow_versions v WHERE v.flow_id = f.id AND v.version > ?
                     AND v.version < """ + FlowVersion.DRAFTS_FROM + "))) RETURNING id, workspace_id";
    /** A task's workspace is its flow's, copied so reads and lists filter without a join. */
    private static final String WORKSPACE = ", (SELECT w.workspace_id FROM flows w WHERE w.id = CAST(? AS BIGINT))";
    private static final String INSERT_QUEUED = """
            INSERT INTO tasks (flow_id, flow_version, state, start_node, end_node, result_node, node_settings, key_id,
                               created_at, claims, parent_task_id, depth, workspace_id)
            SELECT CAST(? AS BIGINT), CAST(? AS INTEGER), 'queued', CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT),
                   CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS INTEGER), CAST(? AS BIGINT),
                   CAST(? AS INTEGER)""" + WORKSPACE + FLOW_CHECK;
    private static final String INSERT_CLAIMED = """
            INSERT INTO tasks (flow_id, flow_version, state, start_node, end_node, result_node, node_settings, key_id,
                               created_at, lease_owner, lease_until, claims, started_at, parent_task_id, depth,
                               workspace_id)
            SELECT CAST(? AS BIGINT), CAST(? AS INTEGER), 'running', CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT),
                   CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS BIGINT), 1,
                   CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS INTEGER)""" + WORKSPACE + FLOW_CHECK;
    private static final String INSERT_FINISHED = """
            INSERT INTO tasks (flow_id, flow_version, state, start_node, end_node, result_node, node_settings, key_id,
                               created_at, claims, started_at, finished_at, result, error, parent_task_id, depth,
                               workspace_id)
            SELECT CAST(? AS BIGINT), CAST(? AS INTEGER), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT),
                   CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), 1, CAST(? AS BIGINT),
                   CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS INTEGER)"""
            + WORKSPACE + FLOW_CHECK;
    private static final String INSERT_STEPS = """
            INSERT INTO steps (task_id, node_id, type, state, port, inputs, outputs, error, attempts, started_at,
                               finished_at, rendered_settings) VALUES""";
    private static final String SELECT_ONE = "SELECT " + TaskRows.TASK_COLUMNS + " FROM tasks WHERE id = ?";

    private final Database database;
    private final Clock clock;
    private final String owner;
    private final Duration lease;

    JdbcTaskAccept(Database database, Clock clock, String owner, Duration lease) {
        this.database = database;
        this.clock = clock;
        this.owner = owner;
        this.lease = lease;
    }

    /**
     * Commits {@code task}, started as {@code mode} says, together with what {@code hook} writes; or, when the hook
     * names an existing task, inserts nothing and answers with that one. Fails with {@link FlowChangedException}
     * when the flow was deleted, or (for a task that {@link NewTask#asLatest() runs the latest version}) a newer
     * version was published (a draft snapshot is no version), since the caller read it. A queued task wakes the workers of every
     * process when the transaction commits; then the hook hears that it committed.
     */
    public Accepted accept(NewTask task, StartMode mode, AcceptHook hook) {
        Accepted accepted = insert(task, mode, hook);
        if (accepted instanceof Accepted.New made) hook.committed(made.task().id());
        return accepted;
    }

    private Accepted insert(NewTask task, StartMode mode, AcceptHook hook) {
        String settings = task.nodeSettings() == null || task.nodeSettings().isEmpty() ? null
                : Json.write(task.nodeSettings());
        long now = clock.millis();
        List<Object[]> stepRows = stepRows(steps(mode));   // JSON written here, not on the one writer thread
        return database.writer().run(tx -> {
            Long existing = hook.existing(tx);
            if (existing != null) {
                return new Accepted.Existing(Rows.one(tx, SELECT_ONE, TaskRows::task, existing).orElseThrow());
            }
            long[] made = Rows.one(tx, insert(mode), row -> new long[] {row.getLong(1), row.getLong(2)},
                            params(task, settings, mode, now))
                    .orElseThrow(() -> new FlowChangedException(task.flowId(), task.flowVersion()));
            long id = made[0];
            insertSteps(tx, id, stepRows);
            hook.inserted(tx, id);
            if (mode instanceof StartMode.Queued) tx.signal();   // wake the workers of other processes
            return new Accepted.New(record(id, task, mode, now, made[1]));
        });
    }

    private static String insert(StartMode mode) {
        if (mode instanceof StartMode.Queued) return INSERT_QUEUED;
        return mode instanceof StartMode.Claimed ? INSERT_CLAIMED : INSERT_FINISHED;
    }

    private Object[] params(NewTask t, String settings, StartMode mode, long now) {
        Object[] values = values(t, settings, mode, now);
        Object[] all = java.util.Arrays.copyOf(values, values.length + 4);
        all[values.length] = t.flowId();
        all[values.length + 1] = t.flowId();
        all[values.length + 2] = t.asLatest() ? 1 : 0;
        all[values.length + 3] = t.flowVersion();
        return all;
    }

    private Object[] values(NewTask t, String settings, StartMode mode, long now) {
        if (mode instanceof StartMode.Queued queued) {
            // a task continuing an earlier one counts as run before, so that its first claim loads the copied steps
            return new Object[] {t.flowId(), t.flowVersion(), t.startNode(), t.endNode(), t.resultNode(), settings,
                    t.keyId(), now, queued.done().isEmpty() ? 0 : 1, t.parentTaskId(), t.depth()};
        }
        if (mode instanceof StartMode.Claimed) {
            return new Object[] {t.flowId(), t.flowVersion(), t.startNode(), t.endNode(), t.resultNode(), settings,
                    t.keyId(), now, owner, now + lease.toMillis(), now, t.parentTaskId(), t.depth()};
        }
        StartMode.Finished ran = (StartMode.Finished) mode;
        long started = ran.startedAt().toEpochMilli();
        TaskOutcome outcome = ran.outcome();
        return new Object[] {t.flowId(), t.flowVersion(), outcome.state().word(), t.startNode(), t.endNode(),
                t.resultNode(), settings, t.keyId(), started, started, ran.finishedAt().toEpochMilli(),
                json(outcome.result()), json(outcome.error()), t.parentTaskId(), t.depth()};
    }

    private static List<StepRecord> steps(StartMode mode) {
        if (mode instanceof StartMode.Queued queued) return queued.done();
        if (mode instanceof StartMode.Claimed claimed) return claimed.done();
        return ((StartMode.Finished) mode).steps();
    }

    /** The task as just inserted, as {@link JdbcTaskReads#get} would read it back. */
    private static TaskRecord record(long id, NewTask t, StartMode mode, long now, long workspaceId) {
        JsonNode settings = settingsJson(t);
        if (mode instanceof StartMode.Finished ran) {
            Instant started = Instant.ofEpochMilli(ran.startedAt().toEpochMilli());
            return new TaskRecord(id, t.flowId(), t.flowVersion(), ran.outcome().state(), t.startNode(), t.endNode(),
                    t.resultNode(), settings, ran.outcome().result(), ran.outcome().error(), t.keyId(), started,
                    started, Instant.ofEpochMilli(ran.finishedAt().toEpochMilli()), t.parentTaskId(), t.depth(),
                    workspaceId);
        }
        boolean claimed = mode instanceof StartMode.Claimed;
        Instant at = Instant.ofEpochMilli(now);
        return new TaskRecord(id, t.flowId(), t.flowVersion(), claimed ? TaskState.RUNNING : TaskState.QUEUED,
                t.startNode(), t.endNode(), t.resultNode(), settings, null, null, t.keyId(), at, claimed ? at : null,
                null, t.parentTaskId(), t.depth(), workspaceId);
    }

    /** The run's node_settings as the task JSON shows them (null when there are none). */
    private static JsonNode settingsJson(NewTask task) {
        if (task.nodeSettings() == null || task.nodeSettings().isEmpty()) return null;
        ObjectNode json = Json.object();
        task.nodeSettings().forEach(json::set);
        return json;
    }

    /** A new task's steps as rows of {@link #INSERT_STEPS}, the task's id (the first column) left to fill in. */
    private static List<Object[]> stepRows(List<StepRecord> steps) {
        List<Object[]> rows = new ArrayList<>(steps.size());
        for (StepRecord step : steps) {
            rows.add(new Object[] {null, step.nodeId(), step.type(), step.state().word(), step.port(),
                    json(step.inputs()), json(step.outputs()), json(step.error()),
                    step.attempts().isEmpty() ? null : Json.write(step.attempts()), millis(step.startedAt()),
                    millis(step.finishedAt()), json(step.renderedSettings())});
        }
        return rows;
    }

    /** Inserts a new task's steps, many rows per statement. */
    private static void insertSteps(Tx tx, long taskId, List<Object[]> rows) throws SQLException {
        for (int from = 0; from < rows.size(); from += STEP_ROWS_PER_INSERT) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + STEP_ROWS_PER_INSERT));
            StringBuilder sql = new StringBuilder(INSERT_STEPS);
            Object[] params = new Object[chunk.size() * 12];
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? " " : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                System.arraycopy(chunk.get(i), 0, params, i * 12, 12);
                params[i * 12] = taskId;
            }
            Rows.update(tx, sql.toString(), params);
        }
    }
}
