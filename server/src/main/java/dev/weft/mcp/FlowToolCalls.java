package dev.weft.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.auth.Caller;
import dev.weft.flow.InvalidFlowException;
import dev.weft.http.ApiException;
import dev.weft.json.Json;
import dev.weft.node.Problem;
import dev.weft.run.Executions;
import dev.weft.run.TaskWaits;
import dev.weft.store.TaskRecord;
import dev.weft.task.TaskError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * Runs a flow tool as a task through the run API's one intake ({@link Executions}: the same checks, limits, scopes
 * and storage as {@code POST /api/v1/scade/flow/{id}/execute}), waits for it without holding a thread, and answers
 * with the end node's outputs as {@code structuredContent} and as text. A task that fails, is cancelled or outlasts
 * the wait, and arguments the flow refuses, are tool errors ({@code isError}) whose text says what happened, so a
 * model can read it and recover.
 */
public final class FlowToolCalls {

    /** The {@code _meta} key naming the task a call made (a client can follow it with the run API). */
    public static final String TASK_ID_META = "dev.weft/task_id";

    private final Executions executions;
    private final TaskWaits waits;
    private final Duration waitMax;

    public FlowToolCalls(Executions executions, TaskWaits waits, Duration waitMax) {
        this.executions = executions;
        this.waits = waits;
        this.waitMax = waitMax;
    }

    /** Starts the tool's flow with {@code arguments} as its start node's data; completes when the task has finished. */
    public CompletableFuture<McpSchema.CallToolResult> call(FlowTool tool, Map<String, Object> arguments, Caller caller) {
        ObjectNode body = Json.object();
        body.put("flow_version", tool.version());
        body.put("start_node_id", tool.startNode());
        ObjectNode data = Json.MAPPER.valueToTree(arguments == null ? Map.of() : arguments);
        body.putObject("node_settings").putObject(tool.startNode()).set("data", data);
        TaskRecord task;
        try {
            task = executions.execute(tool.flowId(), body, caller, null).task();
        } catch (InvalidFlowException e) {
            return CompletableFuture.completedFuture(error("the arguments do not fit tool '" + tool.name() + "': "
                    + e.problems().stream().map(FlowToolCalls::describe).collect(Collectors.joining("; ")), null));
        } catch (ApiException e) {
            if (e.kind() == ApiException.Kind.UNAVAILABLE) throw e;
            return CompletableFuture.completedFuture(error(e.getMessage(), null));
        }
        if (task.state().finished()) return CompletableFuture.completedFuture(answer(task));
        return waits.await(task.id(), waitMax).thenApply(this::answer);
    }

    private McpSchema.CallToolResult answer(TaskRecord task) {
        return switch (task.state()) {
            case COMPLETED -> {
                JsonNode result = task.result();
                ObjectNode structured = result != null && result.isObject() ? (ObjectNode) result
                        : Json.object().set("result", result);
                yield McpSchema.CallToolResult.builder()
                        .structuredContent(FlowTool.asMap(structured))
                        .addTextContent(Json.write(structured))
                        .meta(Map.of(TASK_ID_META, task.id()))
                        .isError(false)
                        .build();
            }
            case FAILED -> error("task " + task.id() + " failed: " + describe(task.error()), task.id());
            case CANCELLED -> error("task " + task.id() + " was cancelled", task.id());
            default -> error("task " + task.id() + " is still " + task.state().word() + " after " + waitMax.toSeconds()
                    + " s; follow it with GET /api/v1/task/" + task.id(), task.id());
        };
    }

    private static McpSchema.CallToolResult error(String text, Long taskId) {
        McpSchema.CallToolResult.Builder result = McpSchema.CallToolResult.builder().addTextContent(text).isError(true);
        if (taskId != null) result.meta(Map.of(TASK_ID_META, taskId));
        return result.build();
    }

    private static String describe(TaskError error) {
        if (error == null) return "no error was recorded";
        return error.type() + ": " + error.message() + (error.nodeId() == null ? "" : " (node " + error.nodeId() + ")");
    }

    /** A problem with the start node's data, named by the argument (the path after {@code .data.}). */
    private static String describe(Problem problem) {
        String field = problem.field() == null ? "" : problem.field();
        int data = field.indexOf(".data.");
        String argument = data >= 0 ? field.substring(data + 6) : field.endsWith(".data") ? "" : field;
        return (argument.isEmpty() ? "" : argument + " ") + problem.message();
    }
}
