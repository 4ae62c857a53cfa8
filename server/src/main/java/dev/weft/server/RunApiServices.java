package dev.weft.server;

import dev.weft.auth.Callers;
import dev.weft.callback.CallbacksApi;
import dev.weft.event.EventsApi;
import dev.weft.event.Metrics;
import dev.weft.event.OpsApi;
import dev.weft.event.TaskEvents;
import dev.weft.file.FileInputs;
import dev.weft.form.PublicForms;
import dev.weft.run.Cancellations;
import dev.weft.run.Executions;
import dev.weft.run.Idempotency;
import dev.weft.run.RunApi;
import dev.weft.run.RunApiConfig;
import dev.weft.run.StoredTriggers;
import dev.weft.run.TaskAnswers;
import dev.weft.run.TaskControl;
import dev.weft.run.TaskWaits;
import dev.weft.schedule.ScheduleConfig;
import dev.weft.schedule.ScheduledRuns;
import dev.weft.schedule.Scheduler;
import dev.weft.schedule.SchedulesApi;
import dev.weft.store.JdbcScheduleStore;
import dev.weft.store.JdbcTaskTriggers;
import dev.weft.web.OpenApi;
import dev.weft.mcp.FlowToolCalls;
import dev.weft.mcp.FlowToolIndex;
import dev.weft.mcp.McpApi;
import dev.weft.concurrent.Loop;
import dev.weft.engine.CompiledFlows;
import dev.weft.flow.FlowValidator;
import dev.weft.manage.TestRunsApi;
import dev.weft.run.DraftDocuments;
import dev.weft.engine.Engine;
import dev.weft.auth.AdminToken;
import dev.weft.registry.NodeRegistry;
import dev.weft.queue.Worker;
import dev.weft.run.AcceptListener;
import dev.weft.run.Intake;
import dev.weft.run.Started;
import dev.weft.run.TaskStart;
import dev.weft.store.Database;
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
 * The run API's handlers and their background checks, made in one step once the engine, the worker and the intake
 * exist, from the {@link RunObservers} that listen to the engine. {@code WeftServer} wires this in with the rest.
 */
public final class RunApiServices implements AutoCloseable {

    /** How often a process with a worker checks whether another process cancelled a task it runs. */
    public static final Duration CANCEL_CHECK_EVERY = Duration.ofSeconds(1);
    /** How often idempotency keys older than their window are deleted. */
    public static final Duration PRUNE_EVERY = Duration.ofHours(1);

    /** What the handlers are made from; {@code worker} (with {@code workerSlots} slots) is null in a process that runs none. */
    public record Inputs(Database database, JdbcFlowStore flows, JdbcTaskStore tasks, AdminToken admin, Clock clock,
                         RunApiConfig config, Duration waitMax, FileInputs files, RunObservers observers,
                         Engine engine, Worker worker, int workerSlots, NodeRegistry registry, CompiledFlows compiled) {}

    private final Inputs in;
    private final RunObservers seen;
    private final Intake intake;
    private final Executions executions;
    private final TaskAnswers answers;
    private final RunApi runApi;
    private final TaskControl control;
    private final Cancellations cancellations;
    private final EventsApi eventsApi;
    private final CallbacksApi callbacksApi;
    private final McpApi mcpApi;
    private final TestRunsApi testRunsApi;
    private final Scheduler scheduler;
    private final SchedulesApi schedulesApi;
    private final List<AutoCloseable> loops = new ArrayList<>();

    /** Makes the handlers and the intake, and starts the background checks. */
    public RunApiServices(Inputs in) {
        this.in = in;
        this.seen = in.observers();
        JdbcTaskStore tasks = in.tasks();
        Engine engine = in.engine();
        Worker worker = in.worker();
        Metrics metrics = seen.metrics;
        Idempotency idempotency = new Idempotency(new JdbcIdempotencyKeys(in.database(), in.clock(),
                in.config().idempotencyWindow()));
        AcceptListener accepted = (task, start, path) -> {
            if (start.paths() != TaskStart.Paths.PARENT_SLOT) metrics.accepted();
            if (path != Started.Path.QUEUED) seen.recent.running(task);   // polls answered from memory while it runs here
        };
        intake = new Intake(new Intake.Parts(tasks.accept(), in.compiled(), engine, worker, seen.flowLimit, accepted));
        executions = new Executions(in.flows(), in.compiled(), in.registry(), intake, seen.lookup,
                new Executions.Extras(idempotency, seen.callbacks, in.files()));
        metrics.watch(tasks.reads()::queuedCount, worker == null ? 0 : in.workerSlots(),
                () -> worker == null ? 0 : worker.freeSlots());
        metrics.gauge("weft_event_streams", "open event streams (SSE)", seen.events, TaskEvents::open);
        metrics.gauge("weft_tasks_running_here", "tasks this process's engine runs", engine, Engine::runningTasks);
        metrics.gauge("weft_tasks_waited_on", "tasks that ?wait requests here wait for", seen.waits, TaskWaits::waitedOn);
        answers = new TaskAnswers(seen.waits, in.waitMax());
        eventsApi = new EventsApi(tasks, seen.callers, seen.lookup, seen.events);
        runApi = new RunApi(executions, tasks, seen.callers, seen.lookup, answers, eventsApi, seen::llmPrices,
                new StoredTriggers(new JdbcTaskTriggers(in.database())));
        cancellations = new Cancellations(tasks, engine, worker, seen.listener(), in.clock());
        control = new TaskControl(tasks, intake, seen.callers, seen.lookup, cancellations, answers);
        seen.events.runningHere(engine::isRunning);
        callbacksApi = new CallbacksApi(seen.callbackStore, seen.callbacks, seen.callers, seen.lookup);
        testRunsApi = new TestRunsApi(in.flows(), new DraftDocuments(new FlowValidator(in.registry())), executions,
                seen.callers, answers, eventsApi);
        mcpApi = new McpApi(seen.callers, new FlowToolIndex(in.flows(), in.clock()),
                new FlowToolCalls(executions, seen.waits, in.waitMax()), McpApi.SERVER_VERSION);
        JdbcScheduleStore scheduleStore = new JdbcScheduleStore(in.database(), in.clock());
        scheduler = new Scheduler(scheduleStore, new ScheduledRuns(executions, intake, in.flows()), in.clock()).start();
        schedulesApi = new SchedulesApi(scheduleStore, in.flows(), executions, seen.callers, in.clock(),
                ScheduleConfig.from(System::getenv).minInterval(), scheduler::wakeUp);
        seen.callbacks.start();
        if (worker != null && in.database().dialect().shared()) {
            loops.add(Loop.every("weft-cancel-check", CANCEL_CHECK_EVERY, cancellations::runOnce).start());
        }
        JdbcIdempotencyKeys keys = new JdbcIdempotencyKeys(in.database(), in.clock(), in.config().idempotencyWindow());
        loops.add(Loop.every("weft-idempotency-prune", PRUNE_EVERY, keys::prune).start());
    }

    /** Where tasks are accepted and started: sub-flow and map steps start child tasks with it. */
    public Intake intake() {
        return intake;
    }

    /** Checks and starts runs as execute does, through the intake: hosted forms and webhooks start their tasks with it. */
    public Executions executions() {
        return executions;
    }

    /** The compiled flows that runs start from: hosted forms read their fields from them. */
    public CompiledFlows compiled() {
        return in.compiled();
    }

    /** How hosted forms read the tasks they started: this process's lookup and waits. */
    public PublicForms.Tasks formTasks() {
        return new PublicForms.Tasks(seen.lookup, seen.waits);
    }

    /** Answers a request with a task, at once or once it finishes: webhooks in their wait mode answer with it. */
    public TaskAnswers answers() {
        return answers;
    }

    /** Who sent a request: the admin or a server key within its rate limit (the files API checks keys so too). */
    /** How the API finds a task by id: from memory when this process runs it, else from the database. */
    public dev.weft.event.TaskLookup lookup() {
        return seen.lookup;
    }

    public Callers callers() {
        return seen.callers;
    }

    /** Cancels tasks: subflow steps cancel their child tasks with it. */
    public Cancellations cancellations() {
        return cancellations;
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
        new OpsApi(in.database(), seen.metrics).register(routes);
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
        mcpApi.register(routes);
        testRunsApi.register(routes);
        schedulesApi.register(routes);
    }

    @Override
    public void close() throws Exception {
        scheduler.close();
        for (AutoCloseable loop : loops) loop.close();
        seen.callbacks.close();
        seen.waits.close();
        seen.events.close();
    }
}
