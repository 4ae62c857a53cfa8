package dev.weft.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.store.TaskRecord;
import dev.weft.task.StepRecord;
import dev.weft.task.TaskError;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The task and step JSON of the run API (Scade-compatible: {@code id}, integer {@code status}, {@code result}). */
public final class TaskJson {

    private TaskJson() {}

    public static ObjectNode task(TaskRecord task) {
        ObjectNode json = Json.object();
        json.put("id", task.id());
        json.put("status", task.state().code());
        json.put("state", task.state().word());
        json.set("result", task.result());
        if (task.error() != null) json.set("error", error(task.error()));
        else json.putNull("error");
        json.put("flow_id", task.flowId());
        json.put("flow_version", task.flowVersion());
        json.put("start_node_id", task.startNode());
        json.put("end_node_id", task.endNode());
        json.put("result_node_id", task.resultNode());
        if (task.parentTaskId() != null) json.put("parent_task_id", task.parentTaskId());   // a subflow step's child
        if (task.draft()) json.put("draft", true);   // a test-run of a draft (never shown to server keys)
        time(json, "created_at", task.createdAt());
        time(json, "started_at", task.startedAt());
        time(json, "finished_at", task.finishedAt());
        return json;
    }

    public static ObjectNode steps(long taskId, List<StepRecord> steps) {
        ObjectNode json = Json.object();
        json.put("task_id", taskId);
        ArrayNode list = json.putArray("steps");
        for (StepRecord step : steps) list.add(step(step, true, Integer.MAX_VALUE));
        return json;
    }

    /**
     * One step; {@code outputs} (and {@code inputs}, when asked for) larger than {@code inlineMax} bytes of JSON are
     * left out ({@code null}, with {@code outputs_omitted: true}): the steps endpoint has them.
     */
    public static ObjectNode step(StepRecord step, boolean withInputs, int inlineMax) {
        ObjectNode item = Json.object();
        item.put("node_id", step.nodeId());
        item.put("type", step.type());
        item.put("state", step.state().word());
        item.put("port", step.port());
        if (withInputs) item.set("inputs", step.inputs());
        if (withInputs) item.set("rendered_settings", step.renderedSettings());
        if (step.outputs() != null && inlineMax < Integer.MAX_VALUE
                && Json.bytes(step.outputs()).length > inlineMax) {
            item.putNull("outputs");
            item.put("outputs_omitted", true);
        } else {
            item.set("outputs", step.outputs());
        }
        item.set("error", step.error() == null ? null : error(step.error()));
        ArrayNode attempts = item.putArray("attempts");
        step.attempts().forEach(a -> {
            ObjectNode attempt = attempts.addObject();
            attempt.put("number", a.number());
            time(attempt, "started_at", a.startedAt());
            time(attempt, "finished_at", a.finishedAt());
            attempt.set("error", a.error() == null ? null : error(a.error()));
        });
        time(item, "started_at", step.startedAt());
        time(item, "finished_at", step.finishedAt());
        if (step.startedAt() != null && step.finishedAt() != null) {
            item.put("duration_ms", Duration.between(step.startedAt(), step.finishedAt()).toMillis());
        }
        return item;
    }

    static ObjectNode error(TaskError error) {
        ObjectNode json = Json.object();
        json.put("type", error.type());
        json.put("message", error.message());
        json.put("node_id", error.nodeId());
        return json;
    }

    public static void time(ObjectNode json, String field, Instant at) {
        if (at == null) json.putNull(field);
        else json.put(field, at.toString());
    }
}
