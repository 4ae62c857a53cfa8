package dev.weft.manage;

import dev.weft.http.ApiException;
import dev.weft.http.Queries;
import dev.weft.http.TaskJson;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.auth.Callers;
import dev.weft.store.JdbcScheduleStore;
import dev.weft.run.StoredTriggers;
import dev.weft.store.JdbcTaskList;
import dev.weft.store.JdbcTaskTriggers;
import dev.weft.store.TaskRecord;
import dev.weft.task.TaskState;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The management API's task list (admin token): the newest tasks, filtered by flow and state, paged by id; or
 * each flow's last run. A task's own record and steps are the run API's ({@code /api/v1/task/{id}}).
 */
public final class TasksApi {

    public static final int LIMIT_DEFAULT = 50;

    private final JdbcTaskList tasks;
    private final Callers callers;
    private final JdbcScheduleStore schedules;   // null: no ?schedule= filter
    private final JdbcTaskTriggers triggers;     // null: tasks are not marked with their trigger

    public TasksApi(JdbcTaskList tasks, Callers callers) {
        this(tasks, callers, null, null);
    }

    /**
     * With {@code schedules}: {@code ?schedule=} filters; with {@code triggers}, each task a schedule, a webhook or a
     * hosted form started says so ({@code trigger}).
     */
    public TasksApi(JdbcTaskList tasks, Callers callers, JdbcScheduleStore schedules, JdbcTaskTriggers triggers) {
        this.tasks = tasks;
        this.callers = callers;
        this.schedules = schedules;
        this.triggers = triggers;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/tasks", this::list);
    }

    private void list(Context ctx) {
        long workspace = callers.require(ctx, Callers.Scope.ADMIN).workspaceId();
        List<TaskRecord> found;
        Long scheduleId = schedules == null ? null : number(ctx, "schedule", 1, Long.MAX_VALUE);
        if (Queries.flag(ctx, "latest_per_flow", false)) {
            found = tasks.latestPerFlow(workspace);
        } else if (scheduleId != null) {
            Long before = number(ctx, "before", 1, Long.MAX_VALUE);
            Long limit = number(ctx, "limit", 1, JdbcTaskList.LIMIT_MAX);
            found = schedules.tasks(scheduleId, before == null ? Long.MAX_VALUE : before,
                    limit == null ? LIMIT_DEFAULT : limit.intValue()).stream()
                    .filter(task -> task.workspaceId() == workspace).toList();   // another workspace's: none
        } else {
            Long flowId = number(ctx, "flow_id", 1, Long.MAX_VALUE);
            Long before = number(ctx, "before", 1, Long.MAX_VALUE);
            Long limit = number(ctx, "limit", 1, JdbcTaskList.LIMIT_MAX);
            String draft = ctx.queryParam("draft");
            found = tasks.newest(workspace, flowId, state(ctx), draft == null || draft.isEmpty() ? null
                    : Queries.flag(ctx, "draft", false), before == null ? Long.MAX_VALUE : before,
                    limit == null ? LIMIT_DEFAULT : limit.intValue());
        }
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("tasks");
        Map<Long, JdbcTaskTriggers.Trigger> started = triggers == null ? Map.of()
                : triggers.of(found.stream().map(TaskRecord::id).toList());
        for (TaskRecord task : found) {
            ObjectNode item = TaskJson.task(task);
            JdbcTaskTriggers.Trigger trigger = started.get(task.id());
            if (trigger != null) StoredTriggers.write(item, trigger);   // a schedule, webhook or form started it
            list.add(item);
        }
        ctx.json(json);
    }

    private static TaskState state(Context ctx) {
        String raw = ctx.queryParam("state");
        if (raw == null || raw.isBlank()) return null;
        for (TaskState state : TaskState.values()) {
            if (state.word().equals(raw) || String.valueOf(state.code()).equals(raw)) return state;
        }
        throw new ApiException(ApiException.Kind.INVALID_INPUT, "state", "must be one of "
                + String.join(", ", Arrays.stream(TaskState.values()).map(TaskState::word).toList())
                + " or its status number (got '" + raw + "')");
    }

    private static Long number(Context ctx, String name, long min, long max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return null;
        try {
            long value = Long.parseLong(raw.trim());
            if (value >= min && value <= max) return value;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ApiException(ApiException.Kind.INVALID_INPUT, name,
                "must be a whole number from " + min + " to " + max + " (got '" + raw + "')");
    }
}
