package dev.weft.run;

import dev.weft.engine.Engine;
import dev.weft.engine.TaskListener;
import dev.weft.queue.Worker;
import dev.weft.store.JdbcTaskStore;
import dev.weft.task.TaskOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Stops cancelled tasks. A cancel is a guarded update of the task's row: a queued task is then never claimed, and a
 * running one's further step and outcome writes are refused. The process that runs it stops its steps at once
 * when the cancel came through its own API ({@link #cancelled}), or, on a shared database, when its next check of
 * the tasks it runs finds them cancelled ({@link #runOnce}, every second); until then a step that finishes is
 * not recorded. The listeners here (polls, waits, streams, callbacks) hear of each cancel once.
 */
public final class Cancellations {

    private static final int TOLD_MAX = 10_000;

    private final JdbcTaskStore tasks;
    private final Engine engine;
    private final Worker worker;
    private final TaskListener listener;
    private final Clock clock;
    private final Map<Long, Boolean> told = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > TOLD_MAX;
        }
    };

    /** {@code worker} is null in a process that runs no tasks. */
    public Cancellations(JdbcTaskStore tasks, Engine engine, Worker worker, TaskListener listener, Clock clock) {
        this.tasks = tasks;
        this.engine = engine;
        this.worker = worker;
        this.listener = listener;
        this.clock = clock;
    }

    /** Cancels the task unless it has finished; true when this call cancelled it. */
    public boolean cancel(long taskId) {
        Instant at = clock.instant();
        TaskOutcome outcome = TaskOutcome.cancelled();
        if (!tasks.journal().cancel(taskId, outcome, at)) return false;
        cancelled(taskId, outcome, at);
        return true;
    }

    /** The task was cancelled in the database: stops its steps if it runs here, and tells the listeners once. */
    private void cancelled(long taskId, TaskOutcome outcome, Instant at) {
        engine.cancel(taskId);
        synchronized (told) {
            if (told.put(taskId, Boolean.TRUE) != null) return;
        }
        listener.taskFinished(taskId, outcome, at);
    }

    /** One check (shared database): stops the tasks running here that another process cancelled. */
    public int runOnce() {
        if (worker == null) return 0;
        Set<Long> running = worker.runningTasks();
        if (running.isEmpty()) return 0;
        Set<Long> cancelled = tasks.reads().cancelledAmong(running);
        for (long id : cancelled) cancelled(id, TaskOutcome.cancelled(), clock.instant());
        return cancelled.size();
    }
}
