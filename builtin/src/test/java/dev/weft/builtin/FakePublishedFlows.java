package dev.weft.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.Engine;
import dev.weft.engine.Graph;
import dev.weft.engine.TaskRequest;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowValidator;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import dev.weft.registry.NodeRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Published flows held in memory for node tests: child tasks run on the test's engine with ids from
 * {@link #FIRST_CHILD_ID}, and every child's parent and depth, and every cancel, are kept for assertions.
 */
final class FakePublishedFlows implements PublishedFlows {

    static final long FIRST_CHILD_ID = 100;

    /** A child task as started. */
    record Child(long taskId, long parentTaskId, int depth, long flowId, int version, ObjectNode startData) {}

    private final Map<Long, List<Flow>> flows = new ConcurrentHashMap<>();
    private final Map<Long, Integer> depths = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(FIRST_CHILD_ID - 1);
    final List<Child> children = new CopyOnWriteArrayList<>();
    final List<Long> cancelled = new CopyOnWriteArrayList<>();
    /** Each child's id as it starts, and each cancelled id as it is cancelled: signals for tests to wait on. */
    final java.util.concurrent.BlockingQueue<Long> startedSignals = new java.util.concurrent.LinkedBlockingQueue<>();
    final java.util.concurrent.BlockingQueue<Long> cancelledSignals = new java.util.concurrent.LinkedBlockingQueue<>();
    private final Map<Long, java.util.concurrent.CompletionStage<dev.weft.task.TaskOutcome>> outcomes =
            new ConcurrentHashMap<>();
    private final Map<String, Long> keyed = new ConcurrentHashMap<>();
    private Engine engine;
    private NodeRegistry registry;

    void use(Engine engine, NodeRegistry registry) {
        this.engine = engine;
        this.registry = registry;
    }

    /** Publishes a new version of flow {@code flowId}. */
    void publish(long flowId, String document) {
        Flow flow = new FlowValidator(registry).check(Json.read(document));
        flows.computeIfAbsent(flowId, k -> new ArrayList<>()).add(flow);
    }

    @Override
    public Version find(long flowId, Integer version) {
        List<Flow> versions = flows.get(flowId);
        if (versions == null || (version != null && version > versions.size())) {
            throw new NodeException(FlowRuns.NOT_FOUND, "flow " + flowId + " has no such published version", false);
        }
        int number = version == null ? versions.size() : version;
        return new Version(flowId, number, versions.get(number - 1));
    }

    @Override
    public ChildTask startChild(ChildRequest request) {
        Long made = request.key() == null ? null : keyed.get(request.parentTaskId() + "/" + request.key());
        if (made != null) return new ChildTask(made, outcome(made));   // as the server's ChildKey: the same child
        long id = ids.incrementAndGet();
        if (request.key() != null) keyed.put(request.parentTaskId() + "/" + request.key(), id);
        depths.put(id, request.depth());
        children.add(new Child(id, request.parentTaskId(), request.depth(), request.flowId(), request.version(),
                request.startData()));
        Flow flow = find(request.flowId(), request.version()).flow();
        Graph graph = Graph.compile(flow, registry, request.startNode(), request.endNode(), request.endNode());
        ObjectNode override = Json.object();
        override.set("data", request.startData());
        ChildTask child = new ChildTask(id, engine.start(new TaskRequest(id, graph,
                Map.of(request.startNode(), override), List.of())));
        outcomes.put(id, child.outcome());
        startedSignals.add(id);
        return child;
    }

    @Override
    public java.util.concurrent.CompletionStage<dev.weft.task.TaskOutcome> outcome(long taskId) {
        var outcome = outcomes.get(taskId);
        if (outcome == null) {
            return java.util.concurrent.CompletableFuture.failedFuture(new NodeException(FlowRuns.NOT_FOUND,
                    "task " + taskId + " does not exist", false));
        }
        return outcome;
    }

    @Override
    public void cancel(long taskId) {
        cancelled.add(taskId);
        cancelledSignals.add(taskId);
        engine.cancel(taskId);
    }

    @Override
    public int depth(long taskId) {
        return depths.getOrDefault(taskId, 0);
    }
}
