package dev.weft.engine;

import dev.weft.task.TaskJournal;
import dev.weft.task.TaskOutcome;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * Runs tasks in-process: each task's graph is advanced by its {@link TaskRun}; independent branches run in
 * parallel on the shared, bounded node pool. Holds no task state beyond the tasks in flight.
 */
public final class Engine {

    /**
     * What the engine runs on: where steps are recorded, the pool that runs node attempts (bounded: it limits
     * parallel steps across all tasks), the executor for the engine's own quick bookkeeping, the timer and clock.
     */
    public record Parts(TaskJournal journal, ExecutorService nodes, Executor control, Timer timer, Clock clock,
                        Limits limits, TaskListener listener) {}

    private final Parts parts;
    private final Map<Long, TaskRun> running = new ConcurrentHashMap<>();

    public Engine(Parts parts) {
        this.parts = parts;
    }

    /** Starts (or resumes) a task; the future completes once its outcome is recorded. */
    public CompletableFuture<TaskOutcome> start(TaskRequest request) {
        TaskRun run = new TaskRun(this, request);
        if (running.putIfAbsent(request.taskId(), run) != null) {
            throw new IllegalStateException("task " + request.taskId() + " is already running here");
        }
        run.outcome().whenComplete((outcome, error) -> running.remove(request.taskId(), run));
        parts.control().execute(run::advance);
        return run.outcome();
    }

    /** Cancels a task running here; false when it is not running in this engine. */
    public boolean cancel(long taskId) {
        TaskRun run = running.get(taskId);
        if (run == null) return false;
        run.cancel();
        return true;
    }

    /** Whether the task is running in this engine. */
    public boolean isRunning(long taskId) {
        return running.containsKey(taskId);
    }

    public int runningTasks() {
        return running.size();
    }

    TaskJournal journal() {
        return parts.journal();
    }

    ExecutorService nodes() {
        return parts.nodes();
    }

    Executor control() {
        return parts.control();
    }

    Timer timer() {
        return parts.timer();
    }

    Clock clock() {
        return parts.clock();
    }

    Limits limits() {
        return parts.limits();
    }

    TaskListener listener() {
        return parts.listener();
    }
}
