package dev.weft.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.registry.RegisteredType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.Engine;
import dev.weft.engine.Graph;
import dev.weft.engine.Overrides;
import dev.weft.engine.TaskListener;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowNode;
import dev.weft.flow.InputField;
import dev.weft.flow.InvalidFlowException;
import dev.weft.node.Problems;
import dev.weft.registry.NodeRegistry;
import dev.weft.flow.StartNode;
import dev.weft.queue.Worker;
import dev.weft.store.AcceptHook;
import dev.weft.store.Accepted;
import dev.weft.store.JdbcFlowStore;
import dev.weft.store.JdbcIdempotencyKeys;
import dev.weft.store.JdbcTaskStore;
import dev.weft.store.NewTask;
import dev.weft.store.TaskRecord;
import dev.weft.task.StepRecord;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns an execute request into an accepted task: picks the published version, the start, end and result nodes,
 * and checks {@code node_settings} against the flow (inputs against the start node's schema) before any task
 * exists. A request that fails here stores nothing.
 */
public final class Executions {

    private record GraphKey(long flowId, int version, String start, String end, String result) {}

    /** A compiled graph and its start node's input fields, read once per version and choice of nodes. */
    private record Compiled(Graph graph, List<InputField> inputs, Map<String, FlowNode> nodes) {}

    private final JdbcFlowStore flows;
    private final JdbcTaskStore tasks;
    private final NodeRegistry registry;
    private final Worker worker;
    private final Engine engine;
    private final TaskListener listener;
    private final RecentTasks recent;
    private final Extras extras;
    private final Map<GraphKey, Compiled> compiled = new ConcurrentHashMap<>();

    /** What execute does beyond Scade's contract: idempotency keys, the per-flow limit, completion callbacks. */
    public record Extras(Idempotency idempotency, FlowLimit flowLimit, Callbacks callbacks, Metrics metrics,
                         FileInputs files) {}

    /**
     * {@code worker} is this process's worker, or null when it runs none: a task is accepted straight into it when it
     * has a free slot, and otherwise queued (and the worker told, so that it claims as soon as a slot frees). A task
     * whose nodes are all pure runs on the request's thread in {@code engine} before it is stored: it is committed
     * finished, with its steps, in one transaction, and {@code listener} hears its steps and end as the engine's
     * listener would.
     */
    public Executions(JdbcFlowStore flows, JdbcTaskStore tasks, NodeRegistry registry, Worker worker, Engine engine,
                      TaskListener listener, RecentTasks recent, Extras extras) {
        this.flows = flows;
        this.tasks = tasks;
        this.registry = registry;
        this.worker = worker;
        this.engine = engine;
        this.listener = listener;
        this.recent = recent;
        this.extras = extras;
    }

    /**
     * Validates and commits the task; returns it as accepted, or, for a repeat of an earlier request with the same
     * {@code Idempotency-Key}, the task that request made ({@link Accepted#created()} false).
     */
    public Accepted execute(long flowId, ObjectNode body, Caller caller, String idempotencyKey) {
        Idempotency.Request once = extras.idempotency().of(caller, idempotencyKey, flowId, body);
        if (once != null) {
            Optional<Accepted> earlier = extras.idempotency().earlierTask(once)
                    .flatMap(id -> recent.get(id).or(() -> tasks.get(id))).map(task -> new Accepted(task, false));
            if (earlier.isPresent()) return earlier.get();
        }
        int version = pickVersion(flowId, body);
        Flow flow = tasks.flowVersion(flowId, version);
        String start = nodeId(body, "start_node_id", flow, FlowNode.START, flow.defaultStart());
        String end = nodeId(body, "end_node_id", flow, FlowNode.END, flow.defaultEnd());
        String result = optionalText(body, "result_node_id");
        if (result == null) result = end;
        GraphKey key = new GraphKey(flowId, version, start, end, result);
        Compiled plan = compiled.get(key);
        if (plan == null) {
            Graph graph = Graph.compile(flow, registry, start, end, result);
            plan = new Compiled(graph, InputField.readAll(graph.node(start).settings().path("inputs"), new Problems()),
                    flow.nodesById());
            compiled.put(key, plan);
        }
        Graph graph = plan.graph();
        Map<String, JsonNode> nodeSettings = nodeSettings(body, plan, start);
        URI callback = extras.callbacks().targets().read(body.get(CallbackTargets.FIELD));
        extras.flowLimit().check(flowId);
        NewTask task = new NewTask(flowId, version, start, end, graph.result(), nodeSettings, caller.keyId());
        JdbcIdempotencyKeys.Claim claim = once == null ? null : extras.idempotency().claim(once);
        AcceptHook hook = AcceptHook.of(claim == null ? AcceptHook.NONE : claim,
                callback == null ? AcceptHook.NONE : extras.callbacks().register(callback));
        Accepted accepted = null;
        if (worker != null && graph.pure() && extras.flowLimit().mayStart(flowId)) {
            accepted = engine.runInline(graph, nodeSettings)
                    .map(ran -> acceptRan(task, hook, ran, callback != null)).orElse(null);
        }
        if (accepted == null) accepted = acceptToRun(task, hook, callback != null);
        if (!accepted.created()) extras.idempotency().check(once, claim.found());
        else extras.metrics().accepted();
        return accepted;
    }

    /** Commits the task claimed for this process's worker when it has a free slot, else queued. */
    private Accepted acceptToRun(NewTask task, AcceptHook hook, boolean callback) {
        Accepted accepted;
        if (worker != null && extras.flowLimit().mayStart(task.flowId()) && worker.reserveSlot()) {
            try {
                accepted = tasks.accept(task, true, hook);
            } catch (RuntimeException e) {
                worker.releaseSlot();
                throw e;
            }
            if (accepted.created()) {
                if (callback) extras.callbacks().accepted(accepted.task().id());
                recent.running(accepted.task());
                worker.runReserved(JdbcTaskStore.claimOf(accepted.task()));
            } else {
                worker.releaseSlot();
            }
        } else {
            accepted = tasks.accept(task, false, hook);
            if (callback && accepted.created()) extras.callbacks().accepted(accepted.task().id());
            if (worker != null && accepted.created()) worker.wakeUp();
        }
        return accepted;
    }

    /** Stores a task that ran inline, finished with its steps, and tells the listener as the engine would have. */
    private Accepted acceptRan(NewTask task, AcceptHook hook, Engine.InlineRun ran, boolean callback) {
        Accepted accepted = tasks.acceptFinished(task, hook, ran.startedAt(), ran.steps(), ran.outcome(),
                ran.finishedAt());
        if (!accepted.created()) return accepted;
        long id = accepted.task().id();
        if (callback) extras.callbacks().accepted(id);
        recent.running(accepted.task());
        for (StepRecord step : ran.steps()) listener.stepFinished(id, step);
        listener.taskFinished(id, ran.outcome(), accepted.task().finishedAt());   // as stored, to the millisecond
        return accepted;
    }

    /**
     * Commits a new task that runs {@code earlier}'s flow version and settings again, reusing {@code done} (the
     * earlier task's finished steps) as its own: they are not run again, and the run goes on from where the
     * earlier one stopped.
     */
    public TaskRecord retry(TaskRecord earlier, List<StepRecord> done, Caller caller) {
        extras.flowLimit().check(earlier.flowId());
        Map<String, JsonNode> nodeSettings = new LinkedHashMap<>();
        if (earlier.nodeSettings() != null) earlier.nodeSettings().fields().forEachRemaining(e ->
                nodeSettings.put(e.getKey(), e.getValue()));
        NewTask task = new NewTask(earlier.flowId(), earlier.flowVersion(), earlier.startNode(), earlier.endNode(),
                earlier.resultNode(), nodeSettings, caller.keyId());
        if (worker != null && extras.flowLimit().mayStart(earlier.flowId()) && worker.reserveSlot()) {
            TaskRecord accepted;
            try {
                accepted = tasks.acceptRetry(task, true, done);
            } catch (RuntimeException e) {
                worker.releaseSlot();
                throw e;
            }
            extras.metrics().accepted();
            recent.running(accepted);
            worker.runReserved(JdbcTaskStore.claimOf(accepted, done));
            return accepted;
        }
        TaskRecord accepted = tasks.acceptRetry(task, false, done);
        extras.metrics().accepted();
        if (worker != null) worker.wakeUp();
        return accepted;
    }

    /** The version to run: the pinned one, or the latest; one database read for the usual case. */
    private int pickVersion(long flowId, ObjectNode body) {
        Optional<Integer> latest = flows.latestVersionNumber(flowId).orElseThrow(() ->
                new ApiException(ApiException.Kind.NOT_FOUND, "flow_id", "flow " + flowId + " does not exist"));
        JsonNode pinned = body.get("flow_version");
        if (pinned != null && !pinned.isNull()) {
            if (!pinned.isIntegralNumber() || pinned.asInt() < 1) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, "flow_version", "must be a positive integer");
            }
            if (latest.isEmpty() || pinned.asInt() > latest.get()) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, "flow_version",
                        "flow " + flowId + " has no version " + pinned.asInt());
            }
            return pinned.asInt();
        }
        return latest.orElseThrow(() -> new ApiException(ApiException.Kind.NOT_PUBLISHED,
                "flow_id", "flow " + flowId + " has no published version yet: publish it (POST /api/v1/flows/"
                + flowId + "/publish) before running it"));
    }

    private static String nodeId(ObjectNode body, String field, Flow flow, String type, String fallback) {
        String given = optionalText(body, field);
        if (given != null) return given;   // checked by Graph.compile, which names the field
        if (fallback != null) return fallback;
        List<FlowNode> candidates = flow.nodesOfType(type);
        if (candidates.size() == 1) return candidates.get(0).id();
        throw new ApiException(ApiException.Kind.INVALID_INPUT, field, "the flow has " + candidates.size() + " "
                + type + " nodes (" + String.join(", ", candidates.stream().map(FlowNode::id).toList())
                + ") and no default; name one in " + field);
    }

    private static String optionalText(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, field, "must be a node id (a non-empty string)");
        }
        return value.asText();
    }

    /** Whether the run replaces only settings the node lets a run replace; names each one it may not. */
    private static boolean overridable(FlowNode node, RegisteredType type, JsonNode data, Problems at) {
        boolean allowed = true;
        for (String setting : (Iterable<String>) data::fieldNames) {
            if (!node.overridable().allows(setting, type.lockedSettings())) {
                at.add("data." + setting, "is not overridable on this node; the flow's author can allow it with"
                        + " \"overridable\": [\"" + setting + "\"] on node '" + node.id() + "' (see docs/api.md,"
                        + " \"Overriding node settings\")");
                allowed = false;
            }
        }
        return allowed;
    }

    private Map<String, JsonNode> nodeSettings(ObjectNode body, Compiled plan, String start) {
        JsonNode settings = body.get("node_settings");
        Map<String, JsonNode> result = new LinkedHashMap<>();
        Problems problems = new Problems();
        if (settings != null && !settings.isNull() && !settings.isObject()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "node_settings",
                    "must be an object mapping node ids to {\"data\": {...}}");
        }
        Map<String, FlowNode> nodes = plan.nodes();
        if (settings != null && settings.isObject()) {
            settings.fields().forEachRemaining(entry -> {
                Problems at = problems.at("node_settings." + entry.getKey());
                FlowNode node = nodes.get(entry.getKey());
                JsonNode value = entry.getValue();
                if (node == null) {
                    at.add("", "no node has id '" + entry.getKey() + "' in this flow");
                } else if (!value.isObject() || !value.path("data").isObject()) {
                    at.add("data", "must be an object: {\"data\": {...}}");
                } else if (!node.isStart()) {
                    RegisteredType type = registry.get(node.type());
                    if (overridable(node, type, value.get("data"), at)) {
                        type.validate(Overrides.apply(node, value), at.at("data"));
                    }
                    result.put(entry.getKey(), value);
                } else {
                    result.put(entry.getKey(), value);
                }
            });
        }
        FlowNode startNode = nodes.get(start);
        JsonNode startData = result.containsKey(start) ? result.get(start).get("data") : null;
        if (startData != null && startData.isObject()) {
            ObjectNode files = extras.files().resolve(plan.inputs(), (ObjectNode) startData,
                    problems.at("node_settings." + start + ".data"));
            if (files != startData) {
                ObjectNode entry = result.get(start).deepCopy();
                entry.set("data", files);
                result.put(start, entry);
                startData = files;
            }
        }
        StartNode.checkRunData(plan.inputs(), startNode.settings(), startData, problems.at("node_settings." + start + ".data"));
        if (!problems.isEmpty()) throw new InvalidFlowException("the run's inputs are invalid", problems.list());
        return result;
    }
}
