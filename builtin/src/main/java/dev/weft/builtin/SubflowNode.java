package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Run;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code subflow} node: runs a published flow as a durable child task linked to this one
 * ({@code parent_task_id}), and emits the child's end-node result with {@code task_id}, the child's id. It holds
 * no thread while the child runs; cancelling this step (the task is cancelled, or the step times out) cancels the
 * child, and a child that fails fails the step with the child's error. Nesting stops at
 * {@link FlowRuns#DEPTH_MAX}.
 */
public final class SubflowNode implements NodeType {

    public static final String TYPE = "subflow";
    /** The field of the output naming the child task. */
    public static final String TASK_ID = "task_id";

    private final FlowRuns runs;

    public SubflowNode(FlowRuns runs) {
        this.runs = runs;
    }

    @Override
    public String id() {
        return TYPE;
    }

    @Override
    public Run run() {
        return Run.async(this::runAsync);
    }

    public CompletionStage<NodeOutput> runAsync(NodeCall call) {
        ObjectNode settings = call.settings();
        CompletableFuture<NodeOutput> answer = new CompletableFuture<>();
        AtomicReference<Long> child = new AtomicReference<>();
        answer.whenComplete((output, failure) -> {
            Long started = child.get();
            // the task was cancelled or the step timed out: the child goes too
            if (answer.isCancelled() && started != null) runs.published().cancel(started);
        });
        runs.setUp(answer, () -> {
            PublishedFlows.ChildTask task = startChild(call);
            child.set(task.taskId());
            if (answer.isCancelled()) {   // cancelled while the child was being committed
                runs.published().cancel(task.taskId());
                return;
            }
            task.outcome().whenComplete((outcome, failure) -> {
                if (failure != null) {
                    answer.completeExceptionally(failure);
                    return;
                }
                try {
                    answer.complete(outputOf(task.taskId(), outcome));
                } catch (RuntimeException e) {
                    answer.completeExceptionally(e);
                }
            });
        });
        return answer;
    }

    /** Checks the depth, finds the flow version, checks the inputs against it and commits the child task. */
    private PublishedFlows.ChildTask startChild(NodeCall call) {
        ObjectNode settings = call.settings();
        int depth = runs.childDepth(call.taskId());
        JsonNode version = settings.get("version");
        FlowRuns.CompiledFlow flow = runs.published(settings.get("flow_id").asLong(),
                version == null || version.isTextual() ? null : version.asInt(), text(settings, "start_node_id"),
                text(settings, "end_node_id"));
        ObjectNode data = settings.has("inputs") ? settings.get("inputs").deepCopy() : call.inputs().deepCopy();
        ObjectNode typed = flow.checkStartData(data, "inputs");
        return runs.published().startChild(new PublishedFlows.ChildRequest(runs.durableTask(call.taskId()), depth,
                flow.flowId(), flow.version(), flow.graph().start(), flow.graph().end(), typed));
    }

    private static NodeOutput outputOf(long taskId, TaskOutcome outcome) {
        if (outcome.state() != TaskState.COMPLETED) {
            String type = outcome.error() == null ? "subflow_failed" : outcome.error().type();
            String message = outcome.error() == null ? "" : outcome.error().message();
            String at = outcome.error() == null || outcome.error().nodeId() == null ? ""
                    : " at node " + outcome.error().nodeId();
            // retryable: the step's retry policy decides whether a new child task is worth it
            throw new NodeException(type, "child task " + taskId + " " + outcome.state().word() + at + ": " + message);
        }
        ObjectNode data = outcome.result() == null ? Json.object() : outcome.result().deepCopy();
        data.put(TASK_ID, taskId);
        return NodeOutput.success(data);
    }

    private static String text(ObjectNode settings, String field) {
        JsonNode value = settings.get(field);
        return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
    }

    public NodeOutput run(NodeCall call) throws Exception {
        return Async.await(runAsync(call));
    }
}
