package dev.weft.run;

import dev.weft.auth.Caller;
import dev.weft.callback.CallbackTargets;
import dev.weft.callback.Callbacks;
import dev.weft.event.TaskLookup;
import dev.weft.file.FileInputs;
import dev.weft.http.ApiException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.registry.RegisteredType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.CompiledFlows;
import dev.weft.engine.Overrides;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowNode;
import dev.weft.flow.InvalidFlowException;
import dev.weft.node.Problems;
import dev.weft.registry.NodeRegistry;
import dev.weft.node.NodeType;
import dev.weft.flow.StartNode;
import dev.weft.json.Json;
import dev.weft.store.AcceptHook;
import dev.weft.store.Accepted;
import dev.weft.store.JdbcFlowStore;
import dev.weft.store.FlowChangedException;
import dev.weft.store.JdbcIdempotencyKeys;
import dev.weft.store.NewTask;
import dev.weft.store.TaskRecord;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns an execute request into a task for the {@link Intake}: picks the published version, the start, end and
 * result nodes, and checks {@code node_settings} against the flow (inputs against the start node's schema) before
 * any task exists; an {@code Idempotency-Key} and a callback commit with the task. A request that fails here stores
 * nothing.
 */
public final class Executions {

    /** How often an execute reads its flow again when other processes keep changing it under it. */
    static final int ACCEPT_TRIES = 3;

    private final JdbcFlowStore flows;
    private final CompiledFlows compiled;
    private final NodeRegistry registry;
    private final Intake intake;
    private final TaskLookup lookup;
    private final Extras extras;

    /** What execute does beyond Scade's contract: idempotency keys, completion callbacks, file inputs. */
    public record Extras(Idempotency idempotency, Callbacks callbacks, FileInputs files) {}

    public Executions(JdbcFlowStore flows, CompiledFlows compiled, NodeRegistry registry, Intake intake,
                      TaskLookup lookup, Extras extras) {
        this.flows = flows;
        this.compiled = compiled;
        this.registry = registry;
        this.intake = intake;
        this.lookup = lookup;
        this.extras = extras;
    }

    /**
     * Checks the request, then accepts and starts its task through the intake; returns it as accepted, or, for a
     * repeat of an earlier request with the same {@code Idempotency-Key}, the task that request made
     * ({@link Accepted.Existing}).
     */
    public Accepted execute(long flowId, ObjectNode body, Caller caller, String idempotencyKey) {
        checkWorkspace(flowId, caller);
        Idempotency.Request once = extras.idempotency().of(caller, idempotencyKey, flowId, body);
        if (once != null) {
            Optional<Accepted> earlier = extras.idempotency().earlierTask(once).flatMap(lookup::lookup)
                    .map(Accepted.Existing::new);
            if (earlier.isPresent()) return earlier.get();
        }
        for (int tries = 1; ; tries++) {
            try {
                return accept(flowId, pickVersion(flowId, body), body, caller, once, AcceptHook.NONE);
            } catch (FlowChangedException e) {
                // another process published or deleted the flow since this one last read it: read it again
                flows.forgetLatest();
                if (tries == ACCEPT_TRIES) throw e;
            }
        }
    }

    /**
     * A test-run: starts draft snapshot {@code snapshot} (made by {@code JdbcFlowStore.snapshotDraft}) through the
     * intake, its start, end and {@code node_settings} checked as an execute's are; no idempotency key, no callback.
     */
    public Accepted test(long flowId, int snapshot, ObjectNode body, Caller caller) {
        checkWorkspace(flowId, caller);
        return accept(flowId, new Picked(snapshot, false), body, caller, null, AcceptHook.NONE);
    }

    /**
     * A run started by a trigger (a hosted form): the latest published version, checked as an execute is, with
     * {@code extra} committed with the task (the trigger's own record of it); no idempotency key, no callback.
     */
    public Accepted trigger(long flowId, ObjectNode body, Caller caller, AcceptHook extra) {
        for (int tries = 1; ; tries++) {
            try {
                return accept(flowId, pickVersion(flowId, body), body, caller, null, extra);
            } catch (FlowChangedException e) {
                flows.forgetLatest();   // published or deleted elsewhere since this process last read it
                if (tries == ACCEPT_TRIES) throw e;
            }
        }
    }

    /**
     * A trigger's run (a webhook's): the flow's latest published version between its default start and end nodes,
     * {@code inputs} as the start node's data, checked as an execute's are (400 naming the field); {@code mark}
     * commits with the task and may name an existing task to answer with instead.
     */
    public Accepted triggerWithInputs(long flowId, ObjectNode inputs, Caller caller, AcceptHook mark) {
        for (int tries = 1; ; tries++) {
            try {
                Picked version = pickVersion(flowId, Json.object());
                Flow flow = compiled.flow(flowId, version.number());
                String start = nodeId(Json.object(), "start_node_id", flow, FlowNode.START, flow.defaultStart());
                ObjectNode body = Json.object().put("start_node_id", start);
                body.putObject("node_settings").putObject(start).set("data", inputs);
                return accept(flowId, version, body, caller, null, mark);
            } catch (FlowChangedException e) {
                flows.forgetLatest();
                if (tries == ACCEPT_TRIES) throw e;
            }
        }
    }

    private Accepted accept(long flowId, Picked version, ObjectNode body, Caller caller, Idempotency.Request once,
                            AcceptHook extra) {
        Flow flow = compiled.flow(flowId, version.number());
        String start = nodeId(body, "start_node_id", flow, FlowNode.START, flow.defaultStart());
        String end = nodeId(body, "end_node_id", flow, FlowNode.END, flow.defaultEnd());
        String result = optionalText(body, "result_node_id");
        if (result == null) result = end;
        CompiledFlows.Compiled plan = compiled.get(new CompiledFlows.Key(flowId, version.number(), start, end, result));
        Map<String, JsonNode> nodeSettings = nodeSettings(body, plan, start, flowId);
        URI callback = extras.callbacks().targets().read(body.get(CallbackTargets.FIELD));
        NewTask task = new NewTask(flowId, version.number(), start, end, plan.graph().result(), nodeSettings,
                caller.keyId(), null, 0, version.latest());
        JdbcIdempotencyKeys.Claim claim = once == null ? null : extras.idempotency().claim(once);
        AcceptHook hook = AcceptHook.of(claim == null ? AcceptHook.NONE : claim,
                callback == null ? AcceptHook.NONE : extras.callbacks().register(callback), extra);
        Accepted accepted = intake.start(TaskStart.execute(task, hook)).accepted();
        if (!accepted.created() && claim != null) extras.idempotency().check(once, claim.found());
        return accepted;
    }

    /**
     * The task a schedule's tick starts (schedules, issue 16): the flow's latest published version from its default
     * start to its default end, with {@code inputs} as the start node's data, checked as an execute's
     * {@code node_settings} are (404 when the flow is gone, 409 when it has no published version, 400 naming the
     * input that does not fit). Nothing is accepted here; the task runs the latest version as last read here, which
     * the accept checks ({@link FlowChangedException} when a newer one was published since).
     */
    public NewTask latestTask(long flowId, ObjectNode inputs) {
        ObjectNode none = dev.weft.json.Json.object();
        Picked version = pickVersion(flowId, none);
        Flow flow = compiled.flow(flowId, version.number());
        String start = nodeId(none, "start_node_id", flow, FlowNode.START, flow.defaultStart());
        String end = nodeId(none, "end_node_id", flow, FlowNode.END, flow.defaultEnd());
        CompiledFlows.Compiled plan = compiled.get(new CompiledFlows.Key(flowId, version.number(), start, end, end));
        ObjectNode body = dev.weft.json.Json.object();
        body.putObject("node_settings").putObject(start).set("data", inputs);
        return new NewTask(flowId, version.number(), start, end, plan.graph().result(), nodeSettings(body, plan, start, flowId),
                null, null, 0, version.latest());
    }

    /**
     * Whether a task's flow version has a node that reports model usage (its type's catalogue lists a {@code usage}
     * output: {@code llm}, {@code agent}, a plugin's): only then does answering the task read its steps to sum it.
     */
    public boolean reportsUsage(TaskRecord task) {
        for (FlowNode node : compiled.flow(task.flowId(), task.flowVersion()).nodes()) {
            if (registry.find(node.type()).map(t -> t.hasOutput("usage")).orElse(false)) return true;
        }
        return false;
    }

    /**
     * 404 for a flow of another workspace than the caller's, worded as for a flow that does not exist; a flow's
     * workspace is kept in memory once read (it never changes), so the run path pays a map read, not a query.
     */
    public void checkWorkspace(long flowId, Caller caller) {
        java.util.OptionalLong workspace = flows.workspaceOf(flowId);
        if (workspace.isPresent() && !caller.sees(workspace.getAsLong())) {
            throw new ApiException(ApiException.Kind.NOT_FOUND, "flow_id", "flow " + flowId + " does not exist");
        }
    }

    /** The version a run takes, and whether it is the latest (which the accept checks is still so). */
    private record Picked(int number, boolean latest) {}

    /**
     * The version to run: the pinned one, or the latest. No database read once this process knows the flow: the
     * latest version as last read here is checked by the accept ({@link FlowChangedException} when stale).
     */
    private Picked pickVersion(long flowId, ObjectNode body) {
        Optional<Integer> latest = flows.latestVersionGuess(flowId).orElseThrow(() ->
                new ApiException(ApiException.Kind.NOT_FOUND, "flow_id", "flow " + flowId + " does not exist"));
        JsonNode pinned = body.get("flow_version");
        if (pinned != null && !pinned.isNull()) {
            if (!pinned.isIntegralNumber() || pinned.asInt() < 1) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, "flow_version", "must be a positive integer");
            }
            if (latest.isEmpty() || pinned.asInt() > latest.get()) {
                // perhaps published since this process looked: ask the database before refusing
                latest = flows.latestVersionNumber(flowId).orElseThrow(() -> new ApiException(
                        ApiException.Kind.NOT_FOUND, "flow_id", "flow " + flowId + " does not exist"));
            }
            if (latest.isEmpty() || pinned.asInt() > latest.get()) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, "flow_version",
                        "flow " + flowId + " has no version " + pinned.asInt());
            }
            return new Picked(pinned.asInt(), false);
        }
        if (latest.isEmpty()) {
            latest = flows.latestVersionNumber(flowId).orElseThrow(() -> new ApiException(
                    ApiException.Kind.NOT_FOUND, "flow_id", "flow " + flowId + " does not exist"));
        }
        return new Picked(latest.orElseThrow(() -> new ApiException(ApiException.Kind.NOT_PUBLISHED,
                "flow_id", "flow " + flowId + " has no published version yet: publish it (POST /api/v1/flows/"
                + flowId + "/publish) before running it")), true);
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

    private Map<String, JsonNode> nodeSettings(ObjectNode body, CompiledFlows.Compiled plan, String start,
                                               long flowId) {
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
                    problems.at("node_settings." + start + ".data"),
                    flows.workspaceOf(flowId).orElse(dev.weft.store.Database.DEFAULT_WORKSPACE));
            if (files != startData) {
                ObjectNode entry = result.get(start).deepCopy();
                entry.set("data", files);
                result.put(start, entry);
                startData = files;
            }
        }
        StartNode.checkRunData(plan.inputs(), startNode.settings(), startData, problems.at("node_settings." + start + ".data"));
        if (!problems.isEmpty()) throw new InvalidFlowException("the run's inputs are invalid", problems.list());
        if (startData != null && startData.isObject()) {
            // the flow sees "5" sent for a number as 5, and "" sent for a required string as missing
            ObjectNode typed = StartNode.coerce(plan.inputs(), (ObjectNode) startData);
            if (typed != startData) {
                ObjectNode entry = result.get(start).deepCopy();
                entry.set("data", typed);
                result.put(start, entry);
            }
        }
        return result;
    }
}
