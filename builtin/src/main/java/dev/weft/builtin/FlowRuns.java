package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.concurrent.Threads;
import dev.weft.engine.Engine;
import dev.weft.engine.Graph;
import dev.weft.engine.Limits;
import dev.weft.engine.TaskListener;
import dev.weft.engine.TaskRequest;
import dev.weft.engine.Timer;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowNode;
import dev.weft.flow.FlowValidator;
import dev.weft.flow.InvalidFlowException;
import dev.weft.flow.InputField;
import dev.weft.flow.StartNode;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import dev.weft.node.Problems;
import dev.weft.registry.NodeRegistry;
import dev.weft.task.ErrorTypes;
import dev.weft.task.StepRecord;
import dev.weft.task.TaskJournal;
import dev.weft.task.TaskOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * How the {@code subflow} and {@code map} nodes run other flows: published versions through {@link PublishedFlows}
 * (durable child tasks), and sub-flows run in memory, without a journal, on an engine of their own that shares the
 * node pool, timer and clock of the durable one. It keeps the nesting depth of each run, so that a flow calling
 * itself stops at {@link #DEPTH_MAX}. The registry is bound after construction, since it holds the nodes that use
 * this.
 */
public final class FlowRuns {

    /** How deep sub-flows may nest (subflow in subflow, map in map, or mixed). */
    public static final int DEPTH_MAX = 10;
    /** The error type of a missing flow or version. */
    public static final String NOT_FOUND = "flow_not_found";
    /** The error type of a run nested deeper than {@link #DEPTH_MAX}. */
    public static final String TOO_DEEP = "depth_limit";

    /** A run in memory: ids are negative, so they never meet a durable task's id. */
    public record MemoryRun(long id, CompletableFuture<TaskOutcome> outcome) {}

    /** Where an in-memory run sits: the durable task it belongs to, and how deep it is. */
    private record Origin(long durableTaskId, int depth) {}

    private static volatile ExecutorService localPool;

    private final PublishedFlows published;
    private final ExecutorService nodes;
    private final Engine memory;
    private final AtomicLong memoryIds = new AtomicLong();
    private final Map<Long, Origin> origins = new ConcurrentHashMap<>();
    private volatile NodeRegistry registry;

    /** Runs in memory on {@code nodes} (blocking nodes), {@code control} (bookkeeping, pure nodes), the timer and clock. */
    public FlowRuns(PublishedFlows published, ExecutorService nodes, Executor control, Timer timer, Clock clock) {
        this.published = published;
        this.nodes = nodes;
        this.memory = new Engine(new Engine.Parts(DISCARD, nodes, control, timer, clock, Limits.DEFAULT,
                TaskListener.NONE));
    }

    /** Runs with no published flows, on shared daemon threads: for tools ({@code weft run}) and tests. */
    public static FlowRuns local() {
        ExecutorService pool = localPool;
        if (pool == null) {
            synchronized (FlowRuns.class) {
                if (localPool == null) {
                    localPool = Executors.newCachedThreadPool(Threads.named("weft-flow-runs"));
                }
                pool = localPool;
            }
        }
        return new FlowRuns(PublishedFlows.NONE, pool, pool, Async.sharedTimer(), Clock.systemUTC());
    }

    /** Binds the registry that sub-flows are validated and compiled with; once, before any run. */
    public void bind(NodeRegistry registry) {
        this.registry = registry;
    }

    NodeRegistry registry() {
        NodeRegistry bound = registry;
        if (bound == null) throw new IllegalStateException("FlowRuns has no registry bound: call bind() after building it");
        return bound;
    }

    PublishedFlows published() {
        return published;
    }

    /**
     * The depth a sub-flow started by a step of {@code taskId} would have; throws {@link #TOO_DEEP} past the limit.
     */
    int childDepth(long taskId) {
        Origin origin = origins.get(taskId);
        int depth = (origin != null ? origin.depth() : published.depth(taskId)) + 1;
        if (depth > DEPTH_MAX) {
            throw new NodeException(TOO_DEEP, "sub-flows nest " + DEPTH_MAX + " deep at most (a flow that calls itself"
                    + " without end stops here); task " + taskId + " is at depth " + (depth - 1), false);
        }
        return depth;
    }

    /** The durable task that a step of {@code taskId} belongs to: itself, or the task an in-memory run serves. */
    long durableTask(long taskId) {
        Origin origin = origins.get(taskId);
        return origin == null ? taskId : origin.durableTaskId();
    }

    /** A published version compiled between its start and end nodes (null: the flow's defaults). */
    CompiledFlow published(long flowId, Integer version, String start, String end) {
        PublishedFlows.Version found = published.find(flowId, version);
        String startId = nodeId(found.flow(), start, FlowNode.START, found.flow().defaultStart(), "start_node_id");
        String endId = nodeId(found.flow(), end, FlowNode.END, found.flow().defaultEnd(), "end_node_id");
        Graph graph;
        try {
            graph = published.graph(found, startId, endId, registry());
        } catch (InvalidFlowException e) {
            throw Settings.invalid(e.problems().get(0).field(), e.problems().get(0).message());
        }
        return new CompiledFlow(flowId, found.version(), graph);
    }

    /** An inline flow document (already validated with the node's settings) compiled between its start and end. */
    CompiledFlow inline(JsonNode document, String start, String end) {
        Flow flow;
        try {
            flow = new FlowValidator(registry()).check(document);
        } catch (InvalidFlowException e) {
            throw Settings.invalid("flow", e.problems().stream().map(Object::toString).collect(Collectors.joining("; ")));
        }
        String startId = nodeId(flow, start, FlowNode.START, flow.defaultStart(), "start_node_id");
        String endId = nodeId(flow, end, FlowNode.END, flow.defaultEnd(), "end_node_id");
        return new CompiledFlow(0, 0, compile(flow, startId, endId));
    }

    /** A flow ready to run, with the version it came from (0 for an inline one). */
    record CompiledFlow(long flowId, int version, Graph graph) {

        /**
         * Checks a run's start data against the start node's inputs (problems are the node's {@code settings}) and
         * gives it as the child flow sees it: text forms of numbers and booleans read as their type, as the run API
         * does ({@link StartNode#coerce}).
         */
        ObjectNode checkStartData(ObjectNode data, String settingsPath) {
            Problems problems = new Problems();
            ObjectNode settings = graph.node(graph.start()).settings();
            StartNode.checkRunData(settings, data, problems);
            if (!problems.isEmpty()) {
                throw Settings.invalid(settingsPath, "do not fit the start node '" + graph.start() + "': "
                        + problems.list().stream().map(Object::toString).collect(Collectors.joining("; ")));
            }
            return StartNode.coerce(InputField.readAll(settings.path("inputs"), new Problems()), data);
        }
    }

    private Graph compile(Flow flow, String start, String end) {
        try {
            return Graph.compile(flow, registry(), start, end, end);
        } catch (InvalidFlowException e) {
            throw Settings.invalid(e.problems().get(0).field(), e.problems().get(0).message());
        }
    }

    private static String nodeId(Flow flow, String given, String type, String fallback, String field) {
        if (given != null) return given;
        if (fallback != null) return fallback;
        List<FlowNode> candidates = flow.nodesOfType(type);
        if (candidates.size() == 1) return candidates.get(0).id();
        throw Settings.invalid(field, "the flow has " + candidates.size() + " " + type + " nodes and no default: name one");
    }

    /**
     * Runs {@code graph} in memory with {@code startData} as its start node's values, as part of the durable task
     * {@code durableTaskId} at {@code depth}. Nothing is recorded; the run is forgotten once it ends.
     */
    MemoryRun runInMemory(Graph graph, ObjectNode startData, long durableTaskId, int depth) {
        long id = memoryIds.decrementAndGet();
        origins.put(id, new Origin(durableTaskId, depth));
        ObjectNode override = Json.object();
        override.set("data", startData);
        CompletableFuture<TaskOutcome> outcome;
        try {
            outcome = memory.start(new TaskRequest(id, graph, Map.of(graph.start(), override), List.of()));
        } catch (RuntimeException e) {
            origins.remove(id);
            throw e;
        }
        outcome.whenComplete((done, failure) -> origins.remove(id));
        return new MemoryRun(id, outcome);
    }

    /**
     * Starts a sub-flow's setup (reading the flow version, committing a child task) on the node pool, so that the
     * engine thread that called {@code runAsync} never waits for the database; {@code answer} fails if the setup
     * throws or cannot be scheduled.
     */
    <T> void setUp(CompletableFuture<T> answer, Runnable setup) {
        Runnable guarded = () -> {
            try {
                if (!answer.isDone()) setup.run();
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        };
        try {
            nodes.execute(guarded);
        } catch (RejectedExecutionException e) {
            answer.completeExceptionally(new NodeException(ErrorTypes.UNAVAILABLE, "the node pool is shut down"));
        }
    }

    /** Stops an in-memory run (its map step stopped waiting). */
    void cancelInMemory(long id) {
        memory.cancel(id);
    }

    /** In-memory runs under way: a check that finished runs leave nothing behind. */
    public int runningInMemory() {
        return memory.runningTasks();
    }

    /** The journal of in-memory runs: each record is dropped at once (only the map step itself is recorded). */
    private static final TaskJournal DISCARD = new TaskJournal() {
        private final CompletionStage<Void> done = CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<Void> stepFinished(long taskId, StepRecord step) {
            return done;
        }

        @Override
        public CompletionStage<Void> taskFinished(long taskId, TaskOutcome outcome, Instant at) {
            return done;
        }
    };
}
