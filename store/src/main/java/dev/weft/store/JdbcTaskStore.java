package dev.weft.store;

import static dev.weft.store.TaskRows.json;
import static dev.weft.store.TaskRows.millis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowDocument;
import dev.weft.node.Problems;
import dev.weft.json.Json;
import dev.weft.queue.ClaimedTask;
import dev.weft.queue.TaskQueue;
import dev.weft.task.StepRecord;
import dev.weft.task.TaskJournal;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The task table as queue and journal, for one process ({@code owner}): accepting a task commits it before its id is
 * returned; workers claim queued tasks under a lease that their heartbeat renews; finished steps and outcomes are
 * recorded only while this process holds the task's lease (fencing: a process that lost a task cannot overwrite
 * what its new owner records); a claim of a task that ran before comes with its recorded steps, so finished steps
 * are not run again. Queries are written once; {@link Dialect} fills in the differences.
 */
public final class JdbcTaskStore implements TaskJournal, TaskQueue {

    public static final Duration LEASE_DEFAULT = Duration.ofSeconds(30);

    private static final String INSERT = """
            INSERT INTO tasks (flow_id, flow_version, state, start_node, end_node, result_node, node_settings, key_id,
                               created_at, parent_task_id, depth)
            VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""";
    private static final String INSERT_CLAIMED = """
            INSERT INTO tasks (flow_id, flow_version, state, start_node, end_node, result_node, node_settings, key_id,
                               created_at, lease_owner, lease_until, claims, started_at, parent_task_id, depth)
            VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id""";
    /** A task that has run already, in memory: stored finished, with its steps, in the transaction that accepts it. */
    private static final String INSERT_FINISHED = """
            INSERT INTO tasks (flow_id, flow_version, state, start_node, end_node, result_node, node_settings, key_id,
                               created_at, claims, started_at, finished_at, result, error, parent_task_id, depth)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?) RETURNING id""";
    private static final String SELECT_ONE = "SELECT " + TaskRows.TASK_COLUMNS + " FROM tasks WHERE id = ?";
    /**
     * At most {@code limit} queued tasks, oldest first; on PostgreSQL rows locked by another claimer are skipped.
     * The chosen ids are a materialized CTE: a {@code LIMIT} subquery inside {@code IN} may be re-scanned by
     * PostgreSQL during the update and then pick more rows than the limit.
     */
    private static final String CLAIM = """
            WITH next AS MATERIALIZED (
                SELECT id FROM tasks WHERE state = 'queued' ORDER BY id LIMIT ? ${skip_locked})
            UPDATE tasks SET state = 'running', lease_owner = ?, lease_until = ?, claims = claims + 1,
                             started_at = COALESCE(started_at, ?)
            WHERE state = 'queued' AND id IN (SELECT id FROM next)
            RETURNING id, flow_id, flow_version, start_node, end_node, result_node, node_settings, claims""";
    /**
     * A step record, fenced: written only while the task runs under this owner's lease, in one statement (one round
     * trip). On PostgreSQL the task row is share-locked, so a rescue skips it until the write commits: a step is
     * either recorded under the lease or refused. The casts type the parameters of the {@code SELECT} list.
     */
    private static final String FENCED_STEP = """
            INSERT INTO steps (task_id, node_id, type, state, port, inputs, outputs, error, attempts, started_at,
                               finished_at)
            SELECT id, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT),
                   CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT)
            FROM tasks WHERE id = ? AND lease_owner = ? AND state = 'running' ${for_share}
            ON CONFLICT (task_id, node_id) DO UPDATE SET type = excluded.type, state = excluded.state,
                port = excluded.port, inputs = excluded.inputs, outputs = excluded.outputs, error = excluded.error,
                attempts = excluded.attempts, started_at = excluded.started_at, finished_at = excluded.finished_at""";
    /**
     * Records a task's outcome, fenced. On PostgreSQL the same statement announces the finish to other processes
     * ({@code pg_notify} on {@link Dialect#FINISHED_CHANNEL}, sent at commit), so it costs no statement of its own.
     */
    private static final String FINISH = """
            UPDATE tasks SET state = ?, result = ?, error = ?, finished_at = ?, lease_owner = NULL, lease_until = NULL
            WHERE id = ? AND lease_owner = ? AND state = 'running'
            RETURNING id, ${announce_finished}""";
    private static final String RENEW = """
            UPDATE tasks SET lease_until = ?
            WHERE lease_owner = ? AND state = 'running' AND id IN (${id_list})
            RETURNING id""";
    private static final String RELEASE = """
            UPDATE tasks SET state = 'queued', lease_owner = NULL, lease_until = NULL
            WHERE lease_owner = ? AND state = 'running' AND id IN (${id_list})""";
    private static final String REQUEUE_RUNNING = """
            UPDATE tasks SET state = 'queued', lease_owner = NULL, lease_until = NULL WHERE state = 'running'""";

    private static final String INSERT_STEPS = """
            INSERT INTO steps (task_id, node_id, type, state, port, inputs, outputs, error, attempts, started_at,
                               finished_at) VALUES""";
    /** The steps with their task's flow version, whose run order breaks ties between equal finish times. */
    private static final String SELECT_STEPS_AND_VERSION = """
            SELECT s.node_id, s.type, s.state, s.port, s.inputs, s.outputs, s.error, s.attempts, s.started_at,
                   s.finished_at, t.flow_id, t.flow_version
            FROM steps s JOIN tasks t ON t.id = s.task_id WHERE s.task_id = ? ORDER BY s.finished_at, s.node_id""";
    private static final String SELECT_STEPS = """
            SELECT node_id, type, state, port, inputs, outputs, error, attempts, started_at, finished_at
            FROM steps WHERE task_id = ? ORDER BY finished_at, node_id""";
    /** Cancels a task that has not finished; a finished task never changes (its step and outcome writes are refused). */
    private static final String CANCEL = """
            UPDATE tasks SET state = 'cancelled', error = ?, finished_at = ?, lease_owner = NULL, lease_until = NULL
            WHERE id = ? AND state IN ('queued', 'running')
            RETURNING id, ${announce_finished}""";
    private static final String CANCELLED_AMONG = "SELECT id FROM tasks WHERE state = 'cancelled' AND id IN (${id_list})";
    /** The safety net of waits: which of these tasks have finished (however: succeeded, failed, cancelled). */
    private static final String FINISHED_AMONG =
            "SELECT id FROM tasks WHERE state NOT IN ('queued', 'running') AND id IN (${id_list})";
    /** Tasks that another owner holds or that went back to the queue: leases truly lost, not tasks finished here. */
    private static final String TAKEN_AMONG = """
            SELECT id FROM tasks WHERE (state = 'queued' OR (state = 'running' AND lease_owner <> ?))
            AND id IN (${id_list})""";
    /** {@code flow_id + 0}: keeps the planner on the small unfinished-tasks index instead of every task of the flow. */
    private static final String UNFINISHED_OF_FLOW = """
            SELECT COUNT(*) FROM tasks WHERE state IN ('queued', 'running') AND flow_id + 0 = ?""";
    private static final String QUEUED_COUNT = "SELECT COUNT(*) FROM tasks WHERE state = 'queued'";
    /** {@link #claimUnderFlowLimit}: queued tasks ranked per flow, taken while their flow's running count allows. */
    private static final String CLAIM_UNDER_FLOW_LIMIT = """
            WITH running AS MATERIALIZED (
                SELECT flow_id, COUNT(*) AS n FROM tasks WHERE state = 'running' GROUP BY flow_id),
            queued AS MATERIALIZED (
                SELECT id, flow_id, ROW_NUMBER() OVER (PARTITION BY flow_id ORDER BY id) AS k
                FROM tasks WHERE state = 'queued'),
            next AS MATERIALIZED (
                SELECT q.id FROM queued q LEFT JOIN running r ON r.flow_id = q.flow_id
                WHERE q.k + COALESCE(r.n, 0) <= ? ORDER BY q.id LIMIT ?)
            UPDATE tasks SET state = 'running', lease_owner = ?, lease_until = ?, claims = claims + 1,
                             started_at = COALESCE(started_at, ?)
            WHERE state = 'queued' AND id IN (SELECT id FROM next)
            RETURNING id, flow_id, flow_version, start_node, end_node, result_node, node_settings, claims""";
    private static final String RUNNING_OF_FLOW = """
            SELECT COUNT(*) FROM tasks WHERE state = 'running' AND flow_id + 0 = ?""";
    /** A retry starts as if it had run before, so that its first claim loads the steps copied into it. */
    private static final String AS_RESUMED = "UPDATE tasks SET claims = 1 WHERE id = ? AND claims = 0";

    private final Database database;
    private final JdbcFlowStore flows;
    private final Clock clock;
    private final String owner;
    private final Duration lease;
    private final String claim;
    private final String fencedStep;
    private final String renew;
    private final String release;
    private final String cancelledAmong;
    private final String finish;
    private final String cancel;
    private final String finishedAmong;
    private final String takenAmong;
    private final Map<String, Flow> parsedVersions = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Integer>> runOrders = new ConcurrentHashMap<>();

    /** {@code owner} names this process in {@code lease_owner}; it must differ between processes sharing a database. */
    public JdbcTaskStore(Database database, JdbcFlowStore flows, Clock clock, String owner, Duration lease) {
        this.database = database;
        this.flows = flows;
        this.clock = clock;
        this.owner = owner;
        this.lease = lease;
        Dialect dialect = database.dialect();
        this.claim = dialect.sql(CLAIM);
        this.fencedStep = dialect.sql(FENCED_STEP);
        this.renew = dialect.sql(RENEW);
        this.release = dialect.sql(RELEASE);
        this.cancelledAmong = dialect.sql(CANCELLED_AMONG);
        this.finish = dialect.sql(FINISH);
        this.cancel = dialect.sql(CANCEL);
        this.finishedAmong = dialect.sql(FINISHED_AMONG);
        this.takenAmong = dialect.sql(TAKEN_AMONG);
    }

    public String owner() {
        return owner;
    }

    public Duration lease() {
        return lease;
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

    /**
     * Commits a new task (queued, or claimed by this process when {@code claimed}) together with what {@code hook}
     * writes in the same transaction; or, when the hook names an existing task, inserts nothing and returns that one.
     */
    public Accepted accept(NewTask task, boolean claimed, AcceptHook hook) {
        return insert(task, claimed, hook);
    }

    private TaskRecord insert(NewTask task, boolean claimed) {
        return insert(task, claimed, AcceptHook.NONE).task();
    }

    private Accepted insert(NewTask task, boolean claimed, AcceptHook hook) {
        String settings = settingsText(task);
        long now = clock.millis();
        Object inserted = insertUnlessExisting(hook, tx -> {
            if (!claimed) tx.signal();   // wake the workers of other processes
            return Rows.one(tx, claimed ? INSERT_CLAIMED : INSERT, row -> row.getLong(1),
                    claimed ? new Object[] {task.flowId(), task.flowVersion(), task.startNode(), task.endNode(),
                            task.resultNode(), settings, task.keyId(), now, owner, now + lease.toMillis(), now,
                            task.parentTaskId(), task.depth()}
                            : new Object[] {task.flowId(), task.flowVersion(), task.startNode(), task.endNode(),
                            task.resultNode(), settings, task.keyId(), now, task.parentTaskId(), task.depth()})
                    .orElseThrow();
        });
        if (inserted instanceof TaskRecord existing) return new Accepted(existing, false);
        return new Accepted(new TaskRecord((Long) inserted, task.flowId(), task.flowVersion(),
                claimed ? TaskState.RUNNING : TaskState.QUEUED, task.startNode(), task.endNode(), task.resultNode(),
                settingsJson(task), null, null, task.keyId(), Instant.ofEpochMilli(now),
                claimed ? Instant.ofEpochMilli(now) : null, null, task.parentTaskId(), task.depth()), true);
    }

    /**
     * In one writer transaction: the task the hook names, when it names one (nothing is inserted then); else the id
     * {@code insert} makes, after which the hook writes its own rows.
     */
    private Object insertUnlessExisting(AcceptHook hook, SqlWork<Long> insert) {
        return database.writer().run(tx -> {
            Long existing = hook.existing(tx);
            if (existing != null) return Rows.one(tx, SELECT_ONE, TaskRows::task, existing).orElseThrow();
            long id = insert.run(tx);
            hook.inserted(tx, id);
            return id;
        });
    }

    private static String settingsText(NewTask task) {
        return task.nodeSettings() == null || task.nodeSettings().isEmpty() ? null : Json.write(task.nodeSettings());
    }

    /** The run's node_settings as the task JSON shows them (null when there are none). */
    private static JsonNode settingsJson(NewTask task) {
        if (task.nodeSettings() == null || task.nodeSettings().isEmpty()) return null;
        ObjectNode json = Json.object();
        task.nodeSettings().forEach(json::set);
        return json;
    }

    /**
     * Commits a new task that has already run in memory — its {@code steps} and {@code outcome} — in one transaction
     * with what {@code hook} writes: the task is never queued, and once this returns it survives a crash finished.
     * When the hook names an existing task, inserts nothing and returns that one.
     */
    public Accepted acceptFinished(NewTask task, AcceptHook hook, Instant startedAt, List<StepRecord> steps,
                                   TaskOutcome outcome, Instant finishedAt) {
        String settings = settingsText(task);
        long started = startedAt.toEpochMilli();
        Object inserted = insertUnlessExisting(hook, tx -> {
            long id = Rows.one(tx, INSERT_FINISHED, row -> row.getLong(1), task.flowId(), task.flowVersion(),
                    outcome.state().word(), task.startNode(), task.endNode(), task.resultNode(), settings,
                    task.keyId(), started, started, finishedAt.toEpochMilli(), json(outcome.result()),
                    json(outcome.error()), task.parentTaskId(), task.depth()).orElseThrow();
            insertSteps(tx, id, steps);
            return id;
        });
        if (inserted instanceof TaskRecord existing) return new Accepted(existing, false);
        return new Accepted(new TaskRecord((Long) inserted, task.flowId(), task.flowVersion(), outcome.state(),
                task.startNode(), task.endNode(), task.resultNode(), settingsJson(task), outcome.result(),
                outcome.error(), task.keyId(), Instant.ofEpochMilli(started), Instant.ofEpochMilli(started),
                Instant.ofEpochMilli(finishedAt.toEpochMilli()), task.parentTaskId(), task.depth()), true);
    }

    /** The claim of a task just accepted with {@link #acceptClaimed}. */
    public static ClaimedTask claimOf(TaskRecord task) {
        return new ClaimedTask(task.id(), task.flowId(), task.flowVersion(), task.startNode(), task.endNode(),
                task.resultNode(), TaskRows.nodeSettings(task.nodeSettings() == null ? null
                : task.nodeSettings().toString()), List.of());
    }

    public Optional<TaskRecord> get(long id) {
        return Rows.one(database.readers(), SELECT_ONE, TaskRows::task, id);
    }

    /**
     * The task's recorded steps in the order they finished; steps that finished in the same millisecond in the order
     * the flow runs them ({@link Flow#runOrder()}).
     */
    public List<StepRecord> steps(long taskId) {
        List<VersionedStep> rows = Rows.list(database.readers(), SELECT_STEPS_AND_VERSION, row -> new VersionedStep(
                TaskRows.step(row), row.getLong("flow_id"), row.getInt("flow_version")), taskId);
        List<StepRecord> steps = new ArrayList<>(rows.size());
        rows.forEach(row -> steps.add(row.step()));
        if (steps.size() < 2) return steps;
        Map<String, Integer> order = runOrder(rows.get(0).flowId(), rows.get(0).flowVersion());
        steps.sort(Comparator.comparing(StepRecord::finishedAt, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(step -> order.getOrDefault(step.nodeId(), Integer.MAX_VALUE)));
        return steps;
    }

    private record VersionedStep(StepRecord step, long flowId, int flowVersion) {}

    /** The version's {@link Flow#runOrder()}, computed once per version (a version never changes). */
    private Map<String, Integer> runOrder(long flowId, int version) {
        return runOrders.computeIfAbsent(flowId + "/" + version, k -> {
            try {
                return flowVersion(flowId, version).runOrder();
            } catch (NotFoundException e) {
                return Map.of();   // the flow was deleted: finish times alone
            }
        });
    }

    /**
     * The task's steps including every step this process handed to the writer before the call: waits until the
     * writes queued so far have committed. The engine queues a step's write before it tells listeners, so a
     * listener that registers and then reads this way misses no step: each is either read here or heard live.
     */
    public List<StepRecord> stepsAfterQueuedWrites(long taskId) {
        database.writer().run(tx -> null);
        return steps(taskId);
    }

    /**
     * Cancels the task unless it has finished: a queued task is never claimed after this, and a running one's
     * further step and outcome writes are refused (its process stops it, see {@link #cancelledAmong}). True when
     * this call cancelled it.
     */
    public boolean cancel(long taskId, TaskOutcome cancelled, Instant at) {
        return database.writer().run(tx -> !Rows.list(tx, cancel, row -> row.getLong(1), json(cancelled.error()),
                at.toEpochMilli(), taskId).isEmpty());
    }

    /**
     * Which of these tasks have finished in the database (one read for all): the safety net of requests waiting
     * for tasks that other processes run, in case a notification was missed.
     */
    public Set<Long> finishedAmong(Collection<Long> taskIds) {
        if (taskIds.isEmpty()) return Set.of();
        return new HashSet<>(Rows.list(database.readers(), finishedAmong, row -> row.getLong(1),
                Json.write(taskIds)));
    }

    /** Which of these tasks (running in this process) were cancelled in the database, maybe by another process. */
    public Set<Long> cancelledAmong(Collection<Long> taskIds) {
        if (taskIds.isEmpty()) return Set.of();
        return new HashSet<>(Rows.list(database.readers(), cancelledAmong, row -> row.getLong(1),
                Json.write(taskIds)));
    }

    /** How many tasks of the flow are queued or running. */
    public long unfinishedOfFlow(long flowId) {
        return Rows.one(database.readers(), UNFINISHED_OF_FLOW, row -> row.getLong(1), flowId).orElse(0L);
    }

    /** How many tasks of the flow are running. */
    public long runningOfFlow(long flowId) {
        return Rows.one(database.readers(), RUNNING_OF_FLOW, row -> row.getLong(1), flowId).orElse(0L);
    }

    /** How many tasks wait in the queue. */
    public long queuedCount() {
        return Rows.one(database.readers(), QUEUED_COUNT, row -> row.getLong(1)).orElse(0L);
    }

    /**
     * Commits a task that continues an earlier one: {@code done} (that task's finished steps) are copied into it in
     * the same transaction, so they are not run again, neither here ({@link #claimOf(TaskRecord, List)}) nor by a
     * worker that claims it from the queue.
     */
    public TaskRecord acceptRetry(NewTask task, boolean claimed, List<StepRecord> done) {
        return insert(task, claimed, new AcceptHook() {
            @Override
            public void inserted(Tx tx, long taskId) throws java.sql.SQLException {
                insertSteps(tx, taskId, done);
                if (!claimed) Rows.update(tx, AS_RESUMED, taskId);
            }
        }).task();
    }

    /** The claim of a task just accepted here with {@code recorded} steps already done. */
    public static ClaimedTask claimOf(TaskRecord task, List<StepRecord> recorded) {
        ClaimedTask claim = claimOf(task);
        return new ClaimedTask(claim.taskId(), claim.flowId(), claim.flowVersion(), claim.startNode(),
                claim.endNode(), claim.resultNode(), claim.nodeSettings(), recorded);
    }

    /**
     * Puts every task left running by a previous process back in the queue, keeping its recorded steps. Only for
     * the embedded database, whose one owning process finds at start that every running task is an orphan; on a
     * shared database the {@link Rescuer} re-queues a dead process's tasks once their leases expire.
     */
    public int requeueOrphans() {
        if (database.dialect().shared()) {
            throw new IllegalStateException("a shared database has no orphans at start: other processes own them");
        }
        return database.writer().run(tx -> Rows.update(tx, REQUEUE_RUNNING));
    }

    @Override
    public List<ClaimedTask> claim(int limit) {
        long now = clock.millis();
        return claimWith(claim, limit, owner, now + lease.toMillis(), now);
    }

    /**
     * {@link #claim}, taking only tasks whose flow has fewer than {@code perFlow} tasks running (across processes),
     * oldest first; the others wait in the queue. It ranks every queued task, so it costs more than a plain claim on
     * a long queue.
     */
    public List<ClaimedTask> claimUnderFlowLimit(int limit, int perFlow) {
        long now = clock.millis();
        return claimWith(CLAIM_UNDER_FLOW_LIMIT, perFlow, limit, owner, now + lease.toMillis(), now);
    }

    private List<ClaimedTask> claimWith(String sql, Object... params) {
        return database.writer().run(tx -> {
            List<TaskRows.Claim> rows = Rows.list(tx, sql, TaskRows::claim, params);
            List<ClaimedTask> claimed = new ArrayList<>(rows.size());
            for (TaskRows.Claim row : rows) {
                ClaimedTask task = row.task();
                if (row.claims() > 1) {
                    List<StepRecord> recorded = Rows.list(tx, SELECT_STEPS, TaskRows::step, task.taskId());
                    task = new ClaimedTask(task.taskId(), task.flowId(), task.flowVersion(), task.startNode(),
                            task.endNode(), task.resultNode(), task.nodeSettings(), recorded);
                }
                claimed.add(task);
            }
            return claimed;
        });
    }

    /** Extends the leases of these tasks by one lease from now; returns those this process still holds. */
    @Override
    public Set<Long> renew(Collection<Long> taskIds) {
        if (taskIds.isEmpty()) return Set.of();
        long until = clock.millis() + lease.toMillis();
        return database.writer().run(tx -> new HashSet<>(Rows.list(tx, renew, row -> row.getLong(1), until, owner,
                Json.write(taskIds))));
    }

    /**
     * Of these tasks, whose lease this process did not renew, those that another process holds now or that went back
     * to the queue: a task that finished (here, or cancelled elsewhere) is not among them.
     */
    @Override
    public Set<Long> takenAmong(Collection<Long> taskIds) {
        if (taskIds.isEmpty()) return Set.of();
        return new HashSet<>(Rows.list(database.readers(), takenAmong, row -> row.getLong(1), owner,
                Json.write(taskIds)));
    }

    /** Gives these tasks back to the queue at once (keeping their recorded steps), and wakes other workers. */
    @Override
    public int release(Collection<Long> taskIds) {
        if (taskIds.isEmpty()) return 0;
        return database.writer().run(tx -> {
            int released = Rows.update(tx, release, owner, Json.write(taskIds));
            if (released > 0) tx.signal();
            return released;
        });
    }

    @Override
    public Flow flowVersion(long flowId, int version) {
        return parsedVersions.computeIfAbsent(flowId + "/" + version, k -> {
            FlowVersion found = flows.version(flowId, version)
                    .orElseThrow(() -> new NotFoundException("flow " + flowId + " has no version " + version));
            return FlowDocument.parse(found.document(), new Problems());
        });
    }

    /** Records a finished step; fails with {@link LeaseLostException} when this process no longer holds the task. */
    @Override
    public CompletionStage<Void> stepFinished(long taskId, StepRecord step) {
        return fenced(taskId, database.writer().submit(tx -> Rows.update(tx, fencedStep, step.nodeId(), step.type(),
                step.state().word(), step.port(), json(step.inputs()), json(step.outputs()), json(step.error()),
                step.attempts().isEmpty() ? null : Json.write(step.attempts()), millis(step.startedAt()),
                millis(step.finishedAt()), taskId, owner) > 0));
    }


    /** Rows per statement when a new task's steps are inserted together (each row count is its own statement). */
    static final int STEP_ROWS_PER_INSERT = 64;

    /** Inserts a new task's steps, many rows per statement. */
    private static void insertSteps(Tx tx, long taskId, List<StepRecord> steps) throws java.sql.SQLException {
        for (int from = 0; from < steps.size(); from += STEP_ROWS_PER_INSERT) {
            List<StepRecord> chunk = steps.subList(from, Math.min(steps.size(), from + STEP_ROWS_PER_INSERT));
            StringBuilder sql = new StringBuilder(INSERT_STEPS);
            Object[] params = new Object[chunk.size() * 11];
            for (int i = 0; i < chunk.size(); i++) {
                StepRecord step = chunk.get(i);
                sql.append(i == 0 ? " " : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                Object[] row = {taskId, step.nodeId(), step.type(), step.state().word(), step.port(),
                        json(step.inputs()), json(step.outputs()), json(step.error()),
                        step.attempts().isEmpty() ? null : Json.write(step.attempts()), millis(step.startedAt()),
                        millis(step.finishedAt())};
                System.arraycopy(row, 0, params, i * 11, 11);
            }
            Rows.update(tx, sql.toString(), params);
        }
    }


    /**
     * Records how a task ended, once: only a running task held by this process ends, so a finished task never
     * changes again. Fails with {@link LeaseLostException} when the task is not (or no longer) held here.
     */
    @Override
    public CompletionStage<Void> taskFinished(long taskId, TaskOutcome outcome, Instant at) {
        return fenced(taskId, database.writer().submit(tx -> !Rows.list(tx, finish, row -> row.getLong(1),
                outcome.state().word(), json(outcome.result()), json(outcome.error()), at.toEpochMilli(), taskId,
                owner).isEmpty()));
    }

    private CompletionStage<Void> fenced(long taskId, CompletableFuture<Boolean> write) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        write.whenComplete((written, error) -> {
            if (error != null) done.completeExceptionally(error);
            else if (!written) done.completeExceptionally(new LeaseLostException(taskId, owner));
            else done.complete(null);
        });
        return done;
    }
}
