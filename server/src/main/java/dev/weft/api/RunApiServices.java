package dev.weft.api;

import dev.weft.concurrent.Loop;
import dev.weft.engine.CompiledFlows;
import dev.weft.engine.Engine;
import dev.weft.engine.TaskListener;
import dev.weft.key.AdminToken;
import dev.weft.key.ServerKeys;
import dev.weft.registry.NodeRegistry;
import dev.weft.queue.TaskQueue;
import dev.weft.queue.Worker;
import dev.weft.run.AcceptListener;
import dev.weft.run.FlowLimit;
import dev.weft.run.Intake;
import dev.weft.run.Started;
import dev.weft.run.TaskStart;
import dev.weft.builtin.AddressGuard;
import dev.weft.store.Database;
import dev.weft.store.JdbcCallbackStore;
import dev.weft.store.JdbcFlowStore;
import dev.weft.store.JdbcIdempotencyKeys;
import dev.weft.store.JdbcTaskStore;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import org.slf4j.MDC;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The run API's parts, made in two steps because the engine sits between them: {@link #create} makes what
 * listens to the engine (polls from memory, waits), {@link #start} what needs the engine and the worker (execute,
 * cancel, their background checks). {@code WeftServer} wires this in with the rest.
 */
public final class RunApiServices implements AutoCloseable {

    /** How often a process with a worker checks whether another process cancelled a task it runs. */
    public static final Duration CANCEL_CHECK_EVERY = Duration.ofSeconds(1);
    /** How often idempotency keys older than their window are deleted. */
    public static final Duration PRUNE_EVERY = Duration.ofHours(1);

    /** What the run API is made from. */
    public record Inputs(Database database, JdbcFlowStore flows, JdbcTaskStore tasks, ServerKeys keys,
                         AdminToken admin, Clock clock, RunApiConfig config, Duration waitMax, AddressGuard guard,
                         FileInputs files) {}

    private final Inputs in;
    private final RecentTasks recent;
    private final TaskWaits waits;
    private final TaskLookup lookup;
    private final Callers callers;
    private final TaskEvents events;
    private final Metrics metrics = new Metrics();
    private final JdbcCallbackStore callbackStore;
    private final Callbacks callbacks;
    private final TaskListener listener;
    private final FlowLimit flowLimit;
    private final List<AutoCloseable> loops = new ArrayList<>();
    private RunApi runApi;
    private TaskControl control;
    private Cancellations cancellations;
    private Intake intake;
    private EventsApi eventsApi;
    private CallbacksApi callbacksApi;

    private RunApiServices(Inputs in) {
        this.in = in;
        this.recent = new RecentTasks(RecentTasks.CAPACITY_DEFAULT);
        this.lookup = new TaskLookup(recent, in.tasks());
        this.waits = new TaskWaits(lookup::lookup, in.tasks().reads()::finishedAmong, in.config().waitCheckEvery());
        this.callers = new Callers(in.keys(), in.admin(), new RateLimiter(in.config().rateLimit(),
                in.config().rateBurst(), System::nanoTime));
        this.events = new TaskEvents();
        this.callbackStore = new JdbcCallbackStore(in.database(), in.clock());
        this.callbacks = new Callbacks(callbackStore, in.tasks(), in.guard(), in.config().callbacks(), in.clock(),
                metrics);
        this.flowLimit = new FlowLimit(in.tasks().reads(), in.config().flowConcurrency(), in.config().flowConcurrencyQueues());
        this.listener = TaskListener.of(recent, waits, events, callbacks, metrics, new TaskLog(recent::get));
    }

    public static RunApiServices create(Inputs inputs) {
        return new RunApiServices(inputs);
    }

    /** The queue this process's worker takes tasks from (it keeps flows within their concurrency limit). */
    public TaskQueue queue() {
        return flowLimit.queue(in.tasks().queue());
    }

    /** Where tasks are accepted and started (after {@link #start}): sub-flow and map steps start child tasks with it. */
    public Intake intake() {
        if (intake == null) throw new IllegalStateException("the run API is not started yet");
        return intake;
    }

    /** Cancels tasks (after {@link #start}): subflow steps cancel their child tasks with it. */
    public Cancellations cancellations() {
        if (cancellations == null) throw new IllegalStateException("the run API is not started yet");
        return cancellations;
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

    /** What the engine tells of every task's progress. */
    public TaskListener listener() {
        return listener;
    }

    /**
     * Makes the handlers and starts the background checks; {@code worker} (with {@code workerSlots} slots) is null
     * in a process that runs none.
     */
    public void start(Engine engine, Worker worker, int workerSlots, NodeRegistry registry, CompiledFlows compiled) {
        JdbcTaskStore tasks = in.tasks();
        Idempotency idempotency = new Idempotency(new JdbcIdempotencyKeys(in.database(), in.clock(),
                in.config().idempotencyWindow()));
        AcceptListener accepted = (task, start, path) -> {
            if (start.paths() != TaskStart.Paths.PARENT_SLOT) metrics.accepted();
            if (path != Started.Path.QUEUED) recent.running(task);   // polls answered from memory while it runs here
        };
        intake = new Intake(new Intake.Parts(tasks.accept(), compiled, engine, worker, flowLimit, accepted));
        Executions executions = new Executions(in.flows(), compiled, registry, intake, lookup,
                new Executions.Extras(idempotency, callbacks, in.files()));
        metrics.watch(tasks.reads()::queuedCount, worker == null ? 0 : workerSlots, () -> worker == null ? 0 : worker.freeSlots());
        metrics.gauge("weft_event_streams", "open event streams (SSE)", events, TaskEvents::open);
        metrics.gauge("weft_tasks_running_here", "tasks this process's engine runs", engine, Engine::runningTasks);
        metrics.gauge("weft_tasks_waited_on", "tasks that ?wait requests here wait for", waits, TaskWaits::waitedOn);
        TaskAnswers answers = new TaskAnswers(waits, in.waitMax());
        runApi = new RunApi(executions, tasks, callers, lookup, answers);
        cancellations = new Cancellations(tasks, engine, worker, listener, in.clock());
        control = new TaskControl(tasks, intake, callers, lookup, cancellations, answers);
        events.runningHere(engine::isRunning);
        eventsApi = new EventsApi(tasks, callers, lookup, events);
        callbacksApi = new CallbacksApi(callbackStore, callbacks, callers, lookup, in.admin());
        callbacks.start();
        if (worker != null && in.database().dialect().shared()) {
            loops.add(Loop.every("weft-cancel-check", CANCEL_CHECK_EVERY, cancellations::runOnce).start());
        }
        JdbcIdempotencyKeys keys = new JdbcIdempotencyKeys(in.database(), in.clock(), in.config().idempotencyWindow());
        loops.add(Loop.every("weft-idempotency-prune", PRUNE_EVERY, keys::prune).start());
    }

    /**
     * How long an asynchronous answer may stay open: a {@code ?wait} (which ends itself by then) or an event
     * stream (which ends itself after {@link TaskEvents#STREAM_MAX}).
     */
    public Duration asyncTimeout() {
        Duration waits = in.waitMax().plusSeconds(30);
        Duration streams = TaskEvents.STREAM_MAX.plusMinutes(1);
        return waits.compareTo(streams) > 0 ? waits : streams;
    }

    /** What every role serves: {@code /ready} and {@code /metrics}. */
    public void registerOperations(RoutesConfig routes) {
        new OpsApi(in.database(), metrics).register(routes);
    }

    /** The run API's routes, its API document and page. */
    public void register(JavalinConfig cfg) {
        RoutesConfig routes = cfg.routes;
        routes.before(ctx -> MDC.clear());   // task and flow ids of the last request on this thread are not this one's
        OpenApi.install(cfg);
        runApi.register(routes);
        control.register(routes);
        eventsApi.register(routes);
        callbacksApi.register(routes);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable loop : loops) loop.close();
        callbacks.close();
        waits.close();
        events.close();
    }
}
