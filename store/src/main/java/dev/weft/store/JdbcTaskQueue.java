package dev.weft.store;

import dev.weft.json.Json;
import dev.weft.queue.ClaimedTask;
import dev.weft.queue.TaskQueue;
import dev.weft.task.StepEntry;
import dev.weft.task.StepRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The task table as the queue of one process ({@code owner}): workers claim queued tasks under a lease that their
 * heartbeat renews, and give them back on a graceful stop; a claim of a task that ran before comes with its recorded
 * steps, so finished steps are not run again. {@link #underFlowLimit} is the variant chosen at wiring when flows
 * have a concurrency limit. Queries are written once; {@link Dialect} fills in the differences.
 */
public final class JdbcTaskQueue implements TaskQueue {

    /**
     * At most {@code limit} queued tasks, oldest first; on PostgreSQL rows locked by another claimer are skipped.
     * The chosen ids are a materialized CTE: a {@code LIMIT} subquery inside {@code IN} may be re-scanned by
     * PostgreSQL during the update and then pick more rows than the limit.
     */
    static final String CLAIM = """
            WITH next AS MATERIALIZED (
                SELECT id FROM ${queued_tasks} WHERE state = 'queued' ORDER BY id LIMIT ? ${skip_locked})
            UPDATE tasks SET state = 'running', lease_owner = ?, lease_until = ?, claims = claims + 1,
                             started_at = COALESCE(started_at, ?)
            WHERE state = 'queued' AND id IN (SELECT id FROM next)
            RETURNING id, flow_id, flow_version, start_node, end_node, result_node, node_settings, claims""";
    /** {@link #underFlowLimit}: queued tasks ranked per flow, taken while their flow's running count allows. */
    static final String CLAIM_UNDER_FLOW_LIMIT = """
            WITH running AS MATERIALIZED (
                SELECT flow_id, COUNT(*) AS n FROM ${running_tasks} WHERE state = 'running' GROUP BY flow_id),
            queued AS MATERIALIZED (
                SELECT id, flow_id, ROW_NUMBER() OVER (PARTITION BY flow_id ORDER BY id) AS k
                FROM ${queued_tasks} WHERE state = 'queued'),
            next AS MATERIALIZED (
                SELECT q.id FROM queued q LEFT JOIN running r ON r.flow_id = q.flow_id
                WHERE q.k + COALESCE(r.n, 0) <= ? ORDER BY q.id LIMIT ?)
            UPDATE tasks SET state = 'running', lease_owner = ?, lease_until = ?, claims = claims + 1,
                             started_at = COALESCE(started_at, ?)
            WHERE state = 'queued' AND id IN (SELECT id FROM next)
            RETURNING id, flow_id, flow_version, start_node, end_node, result_node, node_settings, claims""";
    private static final String SELECT_STEPS = """
            SELECT node_id, type, state, port, inputs, outputs, error, attempts, started_at, finished_at,
                   rendered_settings
            FROM steps WHERE task_id = ? ORDER BY finished_at, node_id""";
    /**
     * The journal entries of the task's unfinished steps (those of finished steps are only its trace), read with its
     * steps when a task is claimed again; in each step's order.
     */
    private static final String SELECT_UNFINISHED_ENTRIES = """
            SELECT j.node_id, j.seq, j.key, j.value, j.recorded_at FROM step_journal j
            WHERE j.task_id = ? AND NOT EXISTS (
                SELECT 1 FROM steps s WHERE s.task_id = j.task_id AND s.node_id = j.node_id)
            ORDER BY j.node_id, j.seq""";
    private static final String RENEW = """
            UPDATE tasks SET lease_until = ?
            WHERE lease_owner = ? AND state = 'running' AND id IN (${id_list})
            RETURNING id""";
    private static final String RELEASE = """
            UPDATE tasks SET state = 'queued', lease_owner = NULL, lease_until = NULL
            WHERE lease_owner = ? AND state = 'running' AND id IN (${id_list})""";
    private static final String REQUEUE_RUNNING = """
            UPDATE tasks SET state = 'queued', lease_owner = NULL, lease_until = NULL WHERE state = 'running'""";
    /** Tasks that another owner holds or that went back to the queue: leases truly lost, not tasks finished here. */
    private static final String TAKEN_AMONG = """
            SELECT id FROM tasks WHERE (state = 'queued' OR (state = 'running' AND lease_owner <> ?))
            AND id IN (${id_list})""";

    private final Database database;
    private final Clock clock;
    private final String owner;
    private final Duration lease;
    /** At most this many tasks of one flow run at once (0: no limit). */
    private final int perFlow;
    private final String claim;
    private final String renew;
    private final String release;
    private final String takenAmong;

    JdbcTaskQueue(Database database, Clock clock, String owner, Duration lease, int perFlow) {
        this.database = database;
        this.clock = clock;
        this.owner = owner;
        this.lease = lease;
        this.perFlow = perFlow;
        Dialect dialect = database.dialect();
        this.claim = dialect.sql(perFlow > 0 ? CLAIM_UNDER_FLOW_LIMIT : CLAIM);
        this.renew = dialect.sql(RENEW);
        this.release = dialect.sql(RELEASE);
        this.takenAmong = dialect.sql(TAKEN_AMONG);
    }

    /**
     * This queue, taking only tasks whose flow has fewer than {@code perFlow} tasks running (across processes),
     * oldest first; the others wait in the queue. It ranks every queued task, so it costs more than a plain claim on
     * a long queue. {@code perFlow <= 0}: this queue as it is.
     */
    public JdbcTaskQueue underFlowLimit(int perFlow) {
        if (perFlow <= 0) return this;
        return new JdbcTaskQueue(database, clock, owner, lease, perFlow);
    }

    @Override
    public List<ClaimedTask> claim(int limit) {
        long now = clock.millis();
        long until = now + lease.toMillis();
        if (perFlow > 0) return claimWith(claim, perFlow, limit, owner, until, now);
        return claimWith(claim, limit, owner, until, now);
    }

    /** A flow limit holds tasks back while slots are free: the worker claims again whenever one of its tasks ends. */
    @Override
    public boolean holdsBack() {
        return perFlow > 0;
    }

    private List<ClaimedTask> claimWith(String sql, Object... params) {
        return database.writer().run(tx -> {
            List<TaskRows.Claim> rows = Rows.list(tx, sql, TaskRows::claim, params);
            List<ClaimedTask> claimed = new ArrayList<>(rows.size());
            for (TaskRows.Claim row : rows) {
                ClaimedTask task = row.task();
                if (row.claims() > 1) {
                    List<StepRecord> recorded = Rows.list(tx, SELECT_STEPS, TaskRows::step, task.taskId());
                    List<StepEntry> entries = Rows.list(tx, SELECT_UNFINISHED_ENTRIES, TaskRows::entry,
                            task.taskId());
                    task = new ClaimedTask(task.taskId(), task.flowId(), task.flowVersion(), task.startNode(),
                            task.endNode(), task.resultNode(), task.nodeSettings(), recorded, entries);
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
        return database.writer().run(tx -> new HashSet<>(Rows.list(tx, renew,
                row -> row.getLong(1), until, owner, Json.write(taskIds))));
    }

    /**
     * Of these tasks, whose lease this process did not renew, those that another process holds now or that went back
     * to the queue: a task that finished (here, or cancelled elsewhere) is not among them.
     */
    @Override
    public Set<Long> takenAmong(Collection<Long> taskIds) {
        if (taskIds.isEmpty()) return Set.of();
        return new HashSet<>(Rows.list(database.readers(), takenAmong, row -> row.getLong(1),
                owner, Json.write(taskIds)));
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
}
