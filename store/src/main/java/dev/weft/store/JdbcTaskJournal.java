package dev.weft.store;

import static dev.weft.store.TaskRows.json;
import static dev.weft.store.TaskRows.millis;

import dev.weft.json.Json;
import dev.weft.task.StepEntry;
import dev.weft.task.StepRecord;
import dev.weft.task.TaskJournal;
import dev.weft.task.TaskOutcome;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The task table as the journal of one process ({@code owner}): finished steps and outcomes are recorded only while
 * this process holds the task's lease (fencing: a process that lost a task cannot overwrite what its new owner
 * records), through the group commit; and a task that has not finished can be cancelled from anywhere.
 */
public final class JdbcTaskJournal implements TaskJournal {

    /**
     * A step record, fenced: written only while the task runs under this owner's lease, in one statement (one round
     * trip). On PostgreSQL the task row is share-locked, so a rescue skips it until the write commits: a step is
     * either recorded under the lease or refused. The casts type the parameters of the {@code SELECT} list.
     */
    private static final String FENCED_STEP = """
            INSERT INTO steps (task_id, node_id, type, state, port, inputs, outputs, error, attempts, started_at,
                               finished_at, rendered_settings)
            SELECT id, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT),
                   CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT),
                   CAST(? AS TEXT)
            FROM tasks WHERE id = ? AND lease_owner = ? AND state = 'running' ${for_share}
            ON CONFLICT (task_id, node_id) DO UPDATE SET type = excluded.type, state = excluded.state,
                port = excluded.port, inputs = excluded.inputs, outputs = excluded.outputs, error = excluded.error,
                attempts = excluded.attempts, started_at = excluded.started_at, finished_at = excluded.finished_at,
                rendered_settings = excluded.rendered_settings""";
    /**
     * A step's journal entry, fenced like {@link #FENCED_STEP}: written only while the task runs under this owner's
     * lease, in one statement. A key recorded again (a write retried) replaces its entry.
     */
    private static final String FENCED_ENTRY = """
            INSERT INTO step_journal (task_id, node_id, seq, key, value, recorded_at)
            SELECT id, CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT)
            FROM tasks WHERE id = ? AND lease_owner = ? AND state = 'running' ${for_share}
            ON CONFLICT (task_id, node_id, key) DO UPDATE SET seq = excluded.seq, value = excluded.value,
                recorded_at = excluded.recorded_at""";
    /**
     * Records a task's outcome, fenced. On PostgreSQL the same statement announces the finish to other processes
     * ({@code pg_notify} on {@link Dialect#FINISHED_CHANNEL}, sent at commit), so it costs no statement of its own.
     */
    private static final String FINISH = """
            UPDATE tasks SET state = ?, result = ?, error = ?, finished_at = ?, lease_owner = NULL, lease_until = NULL
            WHERE id = ? AND lease_owner = ? AND state = 'running'
            RETURNING id, ${announce_finished}""";
    /** Cancels a task that has not finished; a finished task never changes (its step and outcome writes are refused). */
    private static final String CANCEL = """
            UPDATE tasks SET state = 'cancelled', error = ?, finished_at = ?, lease_owner = NULL, lease_until = NULL
            WHERE id = ? AND state IN ('queued', 'running')
            RETURNING id, ${announce_finished}""";

    private final Database database;
    private final String owner;
    private final String fencedStep;
    private final String fencedEntry;
    private final String finish;
    private final String cancel;

    JdbcTaskJournal(Database database, String owner) {
        this.database = database;
        this.owner = owner;
        Dialect dialect = database.dialect();
        this.fencedStep = dialect.sql(FENCED_STEP);
        this.fencedEntry = dialect.sql(FENCED_ENTRY);
        this.finish = dialect.sql(FINISH);
        this.cancel = dialect.sql(CANCEL);
    }

    /** Records a finished step; fails with {@link LeaseLostException} when this process no longer holds the task. */
    @Override
    public CompletionStage<Void> stepFinished(long taskId, StepRecord step) {
        Object[] row = stepRow(taskId, step);   // JSON written here, not on the one writer thread
        return fenced(taskId, database.writer().submit(tx -> Rows.update(tx, fencedStep, row) > 0));
    }

    /**
     * Records the task's last steps and its outcome in one write of the group commit: all of it is committed
     * together, or nothing (a step refused for want of the lease refuses the outcome too: both are fenced alike).
     */
    @Override
    public CompletionStage<Void> taskFinished(long taskId, List<StepRecord> lastSteps, TaskOutcome outcome,
                                              Instant at) {
        if (lastSteps.isEmpty()) return taskFinished(taskId, outcome, at);
        List<Object[]> rows = lastSteps.stream().map(step -> stepRow(taskId, step)).toList();
        Object[] finished = finishRow(taskId, outcome, at);
        return fenced(taskId, database.writer().submit(tx -> {
            for (Object[] row : rows) {
                if (Rows.update(tx, fencedStep, row) == 0) return false;
            }
            return !Rows.list(tx, finish, r -> r.getLong(1), finished).isEmpty();
        }));
    }

    private Object[] stepRow(long taskId, StepRecord step) {
        return new Object[] {step.nodeId(), step.type(), step.state().word(), step.port(), json(step.inputs()),
                json(step.outputs()), json(step.error()), step.attempts().isEmpty() ? null : Json.write(step.attempts()),
                millis(step.startedAt()), millis(step.finishedAt()), json(step.renderedSettings()), taskId, owner};
    }

    private Object[] finishRow(long taskId, TaskOutcome outcome, Instant at) {
        return new Object[] {outcome.state().word(), json(outcome.result()), json(outcome.error()), at.toEpochMilli(),
                taskId, owner};
    }

    /**
     * Records a step's journal entry (an agent's finished model or tool call) through the group commit; fails with
     * {@link LeaseLostException} when this process no longer holds the task, so a process that lost the task cannot
     * add to what its new owner resumes from.
     */
    @Override
    public CompletionStage<Void> entryRecorded(long taskId, StepEntry entry) {
        return fenced(taskId, database.writer().submit(tx -> Rows.update(tx, fencedEntry, entry.nodeId(), entry.seq(),
                entry.key(), Json.write(entry.value()), entry.recordedAt().toEpochMilli(), taskId, owner) > 0));
    }

    /**
     * Records how a task ended, once: only a running task held by this process ends, so a finished task never
     * changes again. Fails with {@link LeaseLostException} when the task is not (or no longer) held here.
     */
    @Override
    public CompletionStage<Void> taskFinished(long taskId, TaskOutcome outcome, Instant at) {
        Object[] finished = finishRow(taskId, outcome, at);
        return fenced(taskId, database.writer().submit(tx -> !Rows.list(tx, finish, row -> row.getLong(1), finished)
                .isEmpty()));
    }

    /**
     * Cancels the task unless it has finished: a queued task is never claimed after this, and a running one's
     * further step and outcome writes are refused (its process stops it, see {@link JdbcTaskReads#cancelledAmong}).
     * True when this call cancelled it.
     */
    public boolean cancel(long taskId, TaskOutcome cancelled, Instant at) {
        return database.writer().run(tx -> !Rows.list(tx, cancel, row -> row.getLong(1), json(cancelled.error()),
                at.toEpochMilli(), taskId).isEmpty());
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
