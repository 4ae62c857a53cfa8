package dev.weft.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.engine.TaskListener;
import dev.weft.store.TaskRecord;
import dev.weft.task.TaskError;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * The tasks this process accepted and runs, as the poll answers them without a database read: running until the
 * engine reports the outcome, which it does only once the outcome is committed. Bounded by a number of tasks and by
 * the size of the results kept (least recently used entries go first); a task not here is read from the database.
 * A task is kept without its {@code node_settings} (they are null here): no answer shows a run's inputs, and kept
 * they would hold thousands of request bodies in memory.
 */
public final class RecentTasks implements TaskListener {

    public static final int CAPACITY_DEFAULT = 10_000;
    /** Results larger than this (characters of JSON) are not kept in memory; their polls read the database. */
    public static final int RESULT_BYTES_MAX = 64 * 1024;
    /** The most characters of JSON all kept results may take together, by default. */
    public static final long RESULTS_BYTES_DEFAULT = 16L * 1024 * 1024;

    /** A kept task and the characters of JSON its result takes. */
    private record Kept(TaskRecord task, int resultBytes) {}

    private final int capacity;
    private final long resultsBytesMax;
    private final LinkedHashMap<Long, Kept> tasks = new LinkedHashMap<>(1024, 0.75f, true);
    private long resultsBytes;

    /** At most {@code capacity} tasks, whose results take at most {@code resultsBytesMax} characters of JSON. */
    public RecentTasks(int capacity, long resultsBytesMax) {
        this.capacity = capacity;
        this.resultsBytesMax = resultsBytesMax;
    }

    public RecentTasks(int capacity) {
        this(capacity, RESULTS_BYTES_DEFAULT);
    }

    /** A task accepted straight into this process's worker (finished already, when it ran inline). */
    public void running(TaskRecord task) {
        int bytes = size(task.result());
        if (bytes > RESULT_BYTES_MAX) return;
        Kept kept = new Kept(kept(task, task.state(), task.result(), task.error(), task.finishedAt()), bytes);
        synchronized (this) {
            put(kept);
        }
    }

    public synchronized Optional<TaskRecord> get(long id) {
        Kept kept = tasks.get(id);
        return kept == null ? Optional.empty() : Optional.of(kept.task());
    }

    @Override
    public synchronized void taskAbandoned(long taskId) {
        remove(taskId);
    }

    @Override
    public void taskFinished(long taskId, TaskOutcome outcome, Instant at) {
        JsonNode result = outcome.result();
        Kept before;
        synchronized (this) {
            before = tasks.get(taskId);
        }
        if (before == null) return;
        // a task that ran inline was kept finished already, with this result measured
        int bytes = before.task().result() == result ? before.resultBytes() : size(result);
        synchronized (this) {
            Kept running = tasks.get(taskId);
            if (running == null) return;
            if (bytes > RESULT_BYTES_MAX) {
                remove(taskId);
                return;
            }
            // to the millisecond, as the database keeps it
            put(new Kept(kept(running.task(), outcome.state(), result, outcome.error(),
                    at.truncatedTo(ChronoUnit.MILLIS)), bytes));
        }
    }

    /** How many tasks are kept, and the characters of JSON their results take. */
    synchronized long[] held() {
        return new long[] {tasks.size(), resultsBytes};
    }

    private void put(Kept kept) {
        Kept before = tasks.put(kept.task().id(), kept);
        resultsBytes += kept.resultBytes() - (before == null ? 0 : before.resultBytes());
        Iterator<Kept> eldest = tasks.values().iterator();
        while ((tasks.size() > capacity || resultsBytes > resultsBytesMax) && eldest.hasNext()) {
            resultsBytes -= eldest.next().resultBytes();
            eldest.remove();
        }
    }

    private void remove(long taskId) {
        Kept kept = tasks.remove(taskId);
        if (kept != null) resultsBytes -= kept.resultBytes();
    }

    private static int size(JsonNode result) {
        return result == null ? 0 : result.toString().length();
    }

    private static TaskRecord kept(TaskRecord task, TaskState state, JsonNode result, TaskError error,
                                   Instant finishedAt) {
        return new TaskRecord(task.id(), task.flowId(), task.flowVersion(), state, task.startNode(), task.endNode(),
                task.resultNode(), null, result, error, task.keyId(), task.createdAt(), task.startedAt(), finishedAt,
                task.parentTaskId(), task.depth(), task.workspaceId());
    }
}
