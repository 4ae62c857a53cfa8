package dev.weft.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.engine.TaskListener;
import dev.weft.store.TaskRecord;
import dev.weft.task.TaskError;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tasks this process accepted and runs, as the poll answers them without a database read: running until the
 * engine reports the outcome, which it does only once the outcome is committed. Bounded (least recently used
 * entries go); a task not here is read from the database. A task is kept without its {@code node_settings} (they
 * are null here): no answer shows a run's inputs, and kept they would hold up to {@link #CAPACITY_DEFAULT} request
 * bodies in memory, and make the old generation churn under load.
 */
public final class RecentTasks implements TaskListener {

    public static final int CAPACITY_DEFAULT = 10_000;
    /** Results larger than this are not kept in memory; their polls read the database. */
    public static final int RESULT_BYTES_MAX = 64 * 1024;

    private final Map<Long, TaskRecord> tasks;

    public RecentTasks(int capacity) {
        this.tasks = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, TaskRecord> eldest) {
                return size() > capacity;
            }
        };
    }

    /** A task accepted straight into this process's worker. */
    public synchronized void running(TaskRecord task) {
        tasks.put(task.id(), kept(task, task.state(), task.result(), task.error(), task.finishedAt()));
    }

    public synchronized Optional<TaskRecord> get(long id) {
        return Optional.ofNullable(tasks.get(id));
    }

    @Override
    public synchronized void taskAbandoned(long taskId) {
        tasks.remove(taskId);
    }

    @Override
    public void taskFinished(long taskId, TaskOutcome outcome, Instant at) {
        JsonNode result = outcome.result();
        boolean small = result == null || result.toString().length() <= RESULT_BYTES_MAX;
        synchronized (this) {
            TaskRecord task = tasks.get(taskId);
            if (task == null) return;
            if (!small) {
                tasks.remove(taskId);
                return;
            }
            // to the millisecond, as the database keeps it
            tasks.put(taskId, kept(task, outcome.state(), result, outcome.error(), at.truncatedTo(ChronoUnit.MILLIS)));
        }
    }

    private static TaskRecord kept(TaskRecord task, TaskState state, JsonNode result, TaskError error,
                                   Instant finishedAt) {
        return new TaskRecord(task.id(), task.flowId(), task.flowVersion(), state, task.startNode(), task.endNode(),
                task.resultNode(), null, result, error, task.keyId(), task.createdAt(), task.startedAt(), finishedAt,
                task.parentTaskId(), task.depth(), task.workspaceId());
    }
}
