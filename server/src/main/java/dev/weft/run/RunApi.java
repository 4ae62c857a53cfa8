package dev.weft.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.auth.Caller;
import dev.weft.auth.Callers;
import dev.weft.event.EventsApi;
import dev.weft.event.LlmPrices;
import dev.weft.event.LlmUsage;
import dev.weft.event.TaskLookup;
import dev.weft.http.Bodies;
import dev.weft.http.Queries;
import dev.weft.http.TaskJson;
import dev.weft.json.Json;
import dev.weft.store.Accepted;
import dev.weft.store.JdbcTaskStore;
import dev.weft.store.TaskRecord;
import dev.weft.task.StepEntry;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * The run API, compatible with Scade's "Run flows via API": execute a flow with a server key and get a task id
 * at once, then poll the task until {@code status} is 3 — or, with {@code ?stream=true}, get the task's events
 * ({@code text/event-stream}) on the same request until it finishes. The admin token is accepted wherever a key is.
 */
public final class RunApi {

    private final Executions executions;
    private final JdbcTaskStore tasks;
    private final Callers callers;
    private final TaskLookup lookup;
    private final TaskAnswers answers;
    private final EventsApi events;
    private final Supplier<LlmPrices> prices;
    private final TaskTriggers triggers;

    public RunApi(Executions executions, JdbcTaskStore tasks, Callers callers, TaskLookup lookup,
                  TaskAnswers answers, EventsApi events, Supplier<LlmPrices> prices, TaskTriggers triggers) {
        this.triggers = triggers;
        this.executions = executions;
        this.tasks = tasks;
        this.callers = callers;
        this.lookup = lookup;
        this.answers = answers;
        this.events = events;
        this.prices = prices;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/scade/flow/{flow_id}/execute", this::execute);
        routes.get("/api/v1/task/{task_id}", this::task);
        routes.get("/api/v1/task/{task_id}/steps", this::steps);
        routes.get("/api/v1/task/{task_id}/steps/{node_id}/journal", this::journal);
    }

    private void execute(Context ctx) {
        Caller caller = callers.require(ctx, Callers.Scope.RUN);
        long flowId = Bodies.id(ctx, "flow_id", "flow");
        MDC.put("flow_id", String.valueOf(flowId));
        caller.checkFlow(flowId);
        Duration wait = answers.waitParam(ctx);
        boolean stream = Queries.flag(ctx, "stream", false);
        Accepted accepted = executions.execute(flowId, Bodies.object(ctx, true), caller,
                ctx.header(Idempotency.HEADER));
        if (!accepted.created()) ctx.header(Idempotency.REPLAYED_HEADER, "true");
        if (stream) {
            events.streamAccepted(ctx, accepted.task(), TaskJson.task(accepted.task()));
            return;
        }
        answers.answer(ctx, accepted.task(), wait);
    }

    private void task(Context ctx) {
        Caller caller = callers.require(ctx, Callers.Scope.RUN);
        Duration wait = answers.waitParam(ctx);
        TaskRecord task = lookup.find(ctx, caller);
        // usage is summed from the steps when answering (after a ?wait too), so it counts the steps finished by then;
        // a flow without a model node costs no read of its steps
        // the trigger that started it costs a read: the admin and people see it; a server key's poll (the Scade
        // clients' loop) is answered from what the task row holds
        boolean marked = caller.keyId() == null;
        if (!executions.reportsUsage(task)) {
            answers.answer(ctx, task, wait, json -> {
                if (marked) triggers.mark(json, task.id());
            });
            return;
        }
        answers.answer(ctx, task, wait, json -> {
            LlmUsage.of(tasks.reads().steps(task.id()), prices.get()).ifPresent(usage -> json.set("usage", usage));
            if (marked) triggers.mark(json, task.id());
        });
    }

    private void steps(Context ctx) {
        TaskRecord task = lookup.find(ctx, callers.require(ctx, Callers.Scope.RUN));
        ctx.json(TaskJson.steps(task.id(), tasks.reads().steps(task.id())));
    }

    /** What a step recorded while it ran (an agent's model and tool calls), read-only; kept after it finishes. */
    private void journal(Context ctx) {
        TaskRecord task = lookup.find(ctx, callers.require(ctx, Callers.Scope.RUN));
        String nodeId = ctx.pathParam("node_id");
        ObjectNode json = Json.object().put("task_id", task.id()).put("node_id", nodeId);
        ArrayNode entries = json.putArray("entries");
        for (StepEntry entry : tasks.reads().entries(task.id(), nodeId)) {
            ObjectNode item = entries.addObject().put("seq", entry.seq()).put("key", entry.key());
            item.set("value", entry.value());
            TaskJson.time(item, "recorded_at", entry.recordedAt());
        }
        ctx.json(json);
    }
}
