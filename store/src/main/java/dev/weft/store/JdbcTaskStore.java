package dev.weft.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowDocument;
import dev.weft.flow.Problems;
import dev.weft.json.Json;
import dev.weft.queue.ClaimedTask;
import dev.weft.queue.TaskQueue;
import dev.weft.task.Attempt;
import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import dev.weft.task.TaskError;
import dev.weft.task.TaskJournal;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The task table as queue and journal: accepting a task commits it before its id is returned; workers claim
 * queued tasks; finished steps and outcomes are recorded; a task whose process died is queued again with its
 * recorded steps, so finished steps are not run again.
 */
public final class JdbcTaskStore implements TaskJournal, TaskQueue {

    public static final Duration LEASE_DEFAULT = Duration.ofSeconds(30);

    private static final String TASK_COLUMNS = """
            id, flow_id, flow_version, state, start_node, end_node, result_node, node_settings, result, error, key_id,
            created_at, started_at, finished_at""";
    private static final String INSERT = """
            INSERT INTO tasks (flow_id, flow_version, state, start_node, end_node, result_node, node_settings, key_id,
                               created_at)
            VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?) RETURNING id""";
    private static final String INSERT_CLAIMED = """
            INSERT INTO tasks (flow_id, flow_version, state, start_node, end_node, result_node, node_settings, key_id,
                               created_at, lease_owner, lease_until, claims, started_at)
            VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, 1, ?) RETURNING id""";
    private static final String SELECT_ONE = "SELECT " + TASK_COLUMNS + " FROM tasks WHERE id = ?";
    private static final String CLAIM = """
            UPDATE tasks SET state = 'running', lease_owner = ?, lease_until = ?, claims = claims + 1,
                             started_at = COALESCE(started_at, ?)
            WHERE id IN (SELECT id FROM tasks WHERE state = 'queued' ORDER BY id LIMIT ?)
            RETURNING id, flow_id, flow_version, start_node, end_node, result_node, node_settings, claims""";
    private static final String FINISH = """
            UPDATE tasks SET state = ?, result = ?, error = ?, finished_at = ?, lease_owner = NULL, lease_until = NULL
            WHERE id = ? AND state IN ('queued', 'running')""";
    private static final String REQUEUE_RUNNING = """
            UPDATE tasks SET state = 'queued', lease_owner = NULL, lease_until = NULL WHERE state = 'running'""";
    private static final String UPSERT_STEP = """
            INSERT INTO steps (task_id, node_id, type, state, port, inputs, outputs, error, attempts, started_at,
                               finished_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (task_id, node_id) DO UPDATE SET type = excluded.type, state = excluded.state,
                port = excluded.port, inputs = excluded.inputs, outputs = excluded.outputs, error = excluded.error,
                attempts = excluded.attempts, started_at = excluded.started_at, finished_at = excluded.finished_at""";
    private static final String SELECT_STEPS = """
            SELECT node_id, type, state, port, inputs, outputs, error, attempts, started_at, finished_at
            FROM steps WHERE task_id = ? ORDER BY finished_at, node_id""";
    private static final TypeReference<List<Attempt>> ATTEMPTS = new TypeReference<>() {};

    private final Database database;
    private final JdbcFlowStore flows;
    private final Clock clock;
    private final String owner;
    private final Duration lease;
    private final Map<String, Flow> parsedVersions = new ConcurrentHashMap<>();

    public JdbcTaskStore(Database database, JdbcFlowStore flows, Clock clock, String owner, Duration lease) {
        this.database = database;
        this.flows = flows;
        this.clock = clock;
        this.owner = owner;
        this.lease = lease;
    }

    /** Commits a new queued task and returns it; when this returns, the task survives a crash. */
    public TaskRecord accept(NewTask task) {
        return insert(task, false);
    }

    /**
     * Commits a new task already claimed by this process (running, with its lease), for a worker here that has a
     * free slot: the task starts without waiting for a claim round.
     */
    public TaskRecord acceptClaimed(NewTask task) {
        return insert(task, true);
    }

    private TaskRecord insert(NewTask task, boolean claimed) {
        String settings = task.nodeSettings() == null || task.nodeSettings().isEmpty() ? null
                : Json.write(task.nodeSettings());
        long now = clock.millis();
        long id = database.writer().run(tx -> Rows.one(tx, claimed ? INSERT_CLAIMED : INSERT, row -> row.getLong(1),
                claimed ? new Object[] {task.flowId(), task.flowVersion(), task.startNode(), task.endNode(),
                        task.resultNode(), settings, task.keyId(), now, owner, now + lease.toMillis(), now}
                        : new Object[] {task.flowId(), task.flowVersion(), task.startNode(), task.endNode(),
                        task.resultNode(), settings, task.keyId(), now}).orElseThrow());
        return new TaskRecord(id, task.flowId(), task.flowVersion(), claimed ? TaskState.RUNNING : TaskState.QUEUED,
                task.startNode(), task.endNode(), task.resultNode(), settings == null ? null : Json.read(settings), null,
                null, task.keyId(), Instant.ofEpochMilli(now), claimed ? Instant.ofEpochMilli(now) : null, null);
    }

    /** The claim of a task just accepted with {@link #acceptClaimed}. */
    public static ClaimedTask claimOf(TaskRecord task) {
        return new ClaimedTask(task.id(), task.flowId(), task.flowVersion(), task.startNode(), task.endNode(),
                task.resultNode(), nodeSettings(task.nodeSettings() == null ? null : task.nodeSettings().toString()),
                List.of());
    }

    public Optional<TaskRecord> get(long id) {
        return Rows.one(database.readers(), SELECT_ONE, JdbcTaskStore::task, id);
    }

    public List<StepRecord> steps(long taskId) {
        return Rows.list(database.readers(), SELECT_STEPS, JdbcTaskStore::step, taskId);
    }

    /**
     * Puts every task left running by a previous process back in the queue, keeping its recorded steps. The
     * embedded database has one owning process, so at start every running task is an orphan.
     */
    public int requeueOrphans() {
        return database.writer().run(tx -> Rows.update(tx, REQUEUE_RUNNING));
    }

    @Override
    public List<ClaimedTask> claim(int limit) {
        long now = clock.millis();
        return database.writer().run(tx -> {
            PreparedStatement claim = tx.prepare(CLAIM);
            Rows.bind(claim, owner, now + lease.toMillis(), now, limit);
            List<ClaimedTask> claimed = new ArrayList<>();
            for (Object[] row : Rows.list(claim, JdbcTaskStore::claimRow)) {
                long id = (Long) row[0];
                List<StepRecord> recorded = (Integer) row[7] > 1 ? stepsIn(tx, id) : List.of();
                claimed.add(new ClaimedTask(id, (Long) row[1], (Integer) row[2], (String) row[3], (String) row[4],
                        (String) row[5], nodeSettings((String) row[6]), recorded));
            }
            return claimed;
        });
    }

    private static Object[] claimRow(ResultSet row) throws SQLException {
        return new Object[] {row.getLong("id"), row.getLong("flow_id"), row.getInt("flow_version"),
                row.getString("start_node"), row.getString("end_node"), row.getString("result_node"),
                row.getString("node_settings"), row.getInt("claims")};
    }

    private static List<StepRecord> stepsIn(Tx tx, long taskId) throws SQLException {
        PreparedStatement select = tx.prepare(SELECT_STEPS);
        Rows.bind(select, taskId);
        return Rows.list(select, JdbcTaskStore::step);
    }

    @Override
    public Flow flowVersion(long flowId, int version) {
        return parsedVersions.computeIfAbsent(flowId + "/" + version, k -> {
            FlowVersion found = flows.version(flowId, version)
                    .orElseThrow(() -> new NotFoundException("flow " + flowId + " has no version " + version));
            return FlowDocument.parse(found.document(), new Problems());
        });
    }

    @Override
    public CompletionStage<Void> stepFinished(long taskId, StepRecord step) {
        return database.writer().submit(tx -> {
            Rows.update(tx, UPSERT_STEP, taskId, step.nodeId(), step.type(), step.state().word(), step.port(),
                    json(step.inputs()), json(step.outputs()), json(step.error()),
                    step.attempts().isEmpty() ? null : Json.write(step.attempts()), millis(step.startedAt()),
                    millis(step.finishedAt()));
            return null;
        });
    }

    @Override
    public CompletionStage<Void> taskFinished(long taskId, TaskOutcome outcome, Instant at) {
        return database.writer().submit(tx -> {
            Rows.update(tx, FINISH, outcome.state().word(), json(outcome.result()), json(outcome.error()),
                    at.toEpochMilli(), taskId);
            return null;
        });
    }

    private static String json(Object value) {
        return value == null ? null : Json.write(value);
    }

    private static Long millis(Instant at) {
        return at == null ? null : at.toEpochMilli();
    }

    private static Map<String, JsonNode> nodeSettings(String json) {
        Map<String, JsonNode> settings = new LinkedHashMap<>();
        if (json != null) Json.read(json).fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue()));
        return settings;
    }

    private static TaskRecord task(ResultSet row) throws SQLException {
        String settings = row.getString("node_settings");
        String result = row.getString("result");
        String error = row.getString("error");
        return new TaskRecord(row.getLong("id"), row.getLong("flow_id"), row.getInt("flow_version"),
                TaskState.ofWord(row.getString("state")), row.getString("start_node"), row.getString("end_node"),
                row.getString("result_node"), settings == null ? null : Json.read(settings),
                result == null ? null : Json.read(result),
                error == null ? null : Json.MAPPER.convertValue(Json.read(error), TaskError.class),
                row.getString("key_id"), Instant.ofEpochMilli(row.getLong("created_at")),
                instant(row, "started_at"), instant(row, "finished_at"));
    }

    private static StepRecord step(ResultSet row) throws SQLException {
        String inputs = row.getString("inputs");
        String outputs = row.getString("outputs");
        String error = row.getString("error");
        String attempts = row.getString("attempts");
        return new StepRecord(row.getString("node_id"), row.getString("type"), StepState.ofWord(row.getString("state")),
                row.getString("port"), inputs == null ? null : (ObjectNode) Json.read(inputs),
                outputs == null ? null : (ObjectNode) Json.read(outputs),
                error == null ? null : Json.MAPPER.convertValue(Json.read(error), TaskError.class),
                attempts == null ? List.of() : Json.MAPPER.convertValue(Json.read(attempts), ATTEMPTS),
                instant(row, "started_at"), instant(row, "finished_at"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Long millis = Rows.longOrNull(row, column);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
