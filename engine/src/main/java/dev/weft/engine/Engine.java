package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.task.InMemoryJournal;
import dev.weft.task.StepRecord;
import dev.weft.task.TaskJournal;
import dev.weft.task.TaskOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

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

    /** What {@link #runInline} made: how the task ended and its steps in the order they finished. */
    public record InlineRun(TaskOutcome outcome, List<StepRecord> steps, Instant startedAt, Instant finishedAt) {}

    /** The id an inline run's nodes see: the task has none yet (it is stored once it has run). */
    private static final long INLINE_TASK_ID = 0;

    /**
     * Runs a task of a {@link Graph#pure() pure} graph on the calling thread and keeps nothing, for a caller that
     * stores the task, its steps and its outcome in one go. Empty when the run would have to wait (a retry's
     * backoff): nothing of it is kept, and the caller runs the task the usual way. Its nodes are pure, so running
     * them again then has no effect outside.
     */
    public Optional<InlineRun> runInline(Graph graph, Map<String, JsonNode> nodeSettings) {
        if (!graph.pure()) throw new IllegalArgumentException("only a graph of pure nodes runs inline");
        InMemoryJournal journal = new InMemoryJournal();
        AtomicBoolean waits = new AtomicBoolean();
        Timer refuse = (at, action) -> {
            waits.set(true);
            return () -> {};
        };
        Engine inline = new Engine(new Parts(journal, parts.nodes(), Runnable::run, refuse, parts.clock(),
                parts.limits(), TaskListener.NONE));
        Instant startedAt = parts.clock().instant();
        TaskRun run = new TaskRun(inline, new TaskRequest(INLINE_TASK_ID, graph, nodeSettings, List.of()));
        run.advance();
        TaskOutcome outcome = run.outcome().getNow(null);
        if (outcome == null || waits.get()) {
            run.cancel();
            return Optional.empty();
        }
        return Optional.of(new InlineRun(outcome, journal.steps(INLINE_TASK_ID), startedAt, parts.clock().instant()));
    }

    /**
     * Tells this engine's listener of a task that ran {@link #runInline inline}, once it is stored as {@code taskId}:
     * each step in the order it finished, then the end at {@code finishedAt} (as stored, to the millisecond), as it
     * tells of a task run here. Only a stored run is told of: a run that was not kept is not heard at all.
     */
    public void announceInline(long taskId, InlineRun ran, Instant finishedAt) {
        for (StepRecord step : ran.steps()) parts.listener().stepFinished(taskId, step);
        parts.listener().taskFinished(taskId, ran.outcome(), finishedAt);
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
