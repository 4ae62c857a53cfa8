package dev.weft.server;

import dev.weft.auth.Callers;
import dev.weft.auth.RateLimits;
import dev.weft.callback.Callbacks;
import dev.weft.event.Metrics;
import dev.weft.event.RecentTasks;
import dev.weft.event.TaskEvents;
import dev.weft.event.TaskLog;
import dev.weft.event.TaskLookup;
import dev.weft.run.RunApiConfig;
import dev.weft.run.TaskWaits;
import dev.weft.engine.TaskListener;
import dev.weft.auth.AdminToken;
import dev.weft.auth.ServerKeys;
import dev.weft.queue.TaskQueue;
import dev.weft.run.FlowLimit;
import dev.weft.store.Database;
import dev.weft.store.JdbcCallbackStore;
import dev.weft.event.LlmPrices;
import dev.weft.store.JdbcTaskStore;
import dev.weft.builtin.AddressGuard;
import java.time.Clock;

/**
 * What listens to the engine, made before it: the tasks answered from memory, the waiting requests, event streams,
 * completion callbacks and metrics, with the per-flow limit that the worker's queue and the intake share. The run
 * API's handlers ({@link RunApiServices}) are made from these once the engine and the worker exist.
 */
public final class RunObservers {

    final RecentTasks recent;
    final TaskLookup lookup;
    final TaskWaits waits;
    final Callers callers;
    final TaskEvents events = new TaskEvents();
    final Metrics metrics = new Metrics();
    final JdbcCallbackStore callbackStore;
    final Callbacks callbacks;
    final FlowLimit flowLimit;
    private final TaskListener listener;
    private final JdbcTaskStore tasks;
    private volatile LlmPrices llmPrices = LlmPrices.NONE;

    public RunObservers(Database database, JdbcTaskStore tasks, ServerKeys keys, AdminToken admin, Clock clock,
                        RunApiConfig config, AddressGuard guard, RateLimits rateLimits) {
        this.tasks = tasks;
        this.recent = new RecentTasks(RecentTasks.CAPACITY_DEFAULT);
        this.lookup = new TaskLookup(recent, tasks);
        this.waits = new TaskWaits(lookup::lookup, tasks.reads()::finishedAmong, config.waitCheckEvery());
        this.callers = new Callers(keys, admin, rateLimits.of("key:", config.rateLimit(), config.rateBurst()),
                dev.weft.auth.WorkspaceIds.of(new dev.weft.store.JdbcUserStore(database, clock)));
        this.callbackStore = new JdbcCallbackStore(database, clock);
        this.callbacks = new Callbacks(callbackStore, tasks, guard, config.callbacks(), clock, metrics);
        this.flowLimit = new FlowLimit(tasks.reads(), config.flowConcurrency(), config.flowConcurrencyQueues());
        this.listener = TaskListener.of(recent, waits, events, callbacks, metrics, new TaskLog(recent::get));
    }

    /** Sets the admin's price table for models ({@link LlmPrices#ENV}), which a task's {@code usage} reads. */
    public void llmPrices(LlmPrices prices) {
        this.llmPrices = prices;
    }

    LlmPrices llmPrices() {
        return llmPrices;
    }

    /** What the engine tells of every task's progress. */
    public TaskListener listener() {
        return listener;
    }

    /** The queue this process's worker takes tasks from (it keeps flows within their concurrency limit). */
    public TaskQueue queue() {
        return flowLimit.queue(tasks.queue());
    }

    /** The tasks this process answers polls for from memory. */
    public RecentTasks recent() {
        return recent;
    }

    /**
     * The requests waiting for tasks to finish: {@link TaskWaits#finished(long)} answers them when another process
     * announces a finish, {@link TaskWaits#recheck()} when the announcements may have been missed.
     */
    public TaskWaits waits() {
        return waits;
    }

    /** Who sent a request: the admin or a server key within its rate limit (the files API checks keys so too). */
    public Callers callers() {
        return callers;
    }
}
