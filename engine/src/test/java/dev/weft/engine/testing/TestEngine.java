package dev.weft.engine.testing;

import dev.weft.engine.Engine;
import dev.weft.engine.Graph;
import dev.weft.engine.Limits;
import dev.weft.engine.TaskListener;
import dev.weft.engine.TaskRequest;
import dev.weft.task.InMemoryJournal;
import dev.weft.task.TaskJournal;
import dev.weft.task.TaskOutcome;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link Engine} wired for tests: a {@link ManualClock} and {@link ManualTimer}, bookkeeping on the calling
 * thread, and nodes either on the calling thread ({@link #direct()}: fully deterministic) or on a small real
 * pool ({@link #pooled(int)}: for nodes that block). Close it to stop the pool.
 */
public final class TestEngine implements AutoCloseable {

    private final ManualClock clock = new ManualClock();
    private final ManualTimer timer = new ManualTimer(clock);
    private final TaskJournal journal;
    private final ExecutorService nodes;
    private final Engine engine;
    private final AtomicLong ids = new AtomicLong();

    public TestEngine(TaskJournal journal, ExecutorService nodes, Limits limits) {
        this.journal = journal;
        this.nodes = nodes;
        this.engine = new Engine(new Engine.Parts(journal, nodes, Runnable::run, timer, clock, limits,
                TaskListener.NONE));
    }

    /** Everything on the calling thread, an in-memory journal, default limits. */
    public static TestEngine direct() {
        return new TestEngine(new InMemoryJournal(), new DirectExecutorService(), Limits.DEFAULT);
    }

    /** Nodes on a real pool of {@code threads}, an in-memory journal, default limits. */
    public static TestEngine pooled(int threads) {
        return new TestEngine(new InMemoryJournal(), Executors.newFixedThreadPool(threads), Limits.DEFAULT);
    }

    /** Starts a new task on {@code graph}, with no overrides and nothing recorded. */
    public CompletableFuture<TaskOutcome> start(Graph graph) {
        return engine.start(new TaskRequest(ids.incrementAndGet(), graph, Map.of(), List.of()));
    }

    public CompletableFuture<TaskOutcome> start(TaskRequest request) {
        return engine.start(request);
    }

    /** The id the next {@link #start(Graph)} will use. */
    public long nextTaskId() {
        return ids.get() + 1;
    }

    /** The pool nodes run on. */
    public ExecutorService nodes() {
        return nodes;
    }

    public Engine engine() {
        return engine;
    }

    public ManualClock clock() {
        return clock;
    }

    public ManualTimer timer() {
        return timer;
    }

    public TaskJournal journal() {
        return journal;
    }

    @Override
    public void close() {
        nodes.shutdownNow();
    }
}
