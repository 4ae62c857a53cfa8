package dev.weft.callback;

import dev.weft.auth.Callers;
import dev.weft.event.TaskLookup;
import dev.weft.http.TaskJson;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.store.JdbcCallbackStore;
import dev.weft.store.TaskRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.util.Optional;

/**
 * The task's completion callback and every delivery attempt ({@code GET /api/v1/task/{id}/deliveries}), and the
 * secret that signs callbacks, for the admin who sets up a receiver ({@code GET /api/v1/callbacks/secret}).
 */
public final class CallbacksApi {

    private final JdbcCallbackStore store;
    private final Callbacks callbacks;
    private final Callers callers;
    private final TaskLookup lookup;

    public CallbacksApi(JdbcCallbackStore store, Callbacks callbacks, Callers callers, TaskLookup lookup) {
        this.store = store;
        this.callbacks = callbacks;
        this.callers = callers;
        this.lookup = lookup;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/task/{task_id}/deliveries", this::deliveries);
        routes.get("/api/v1/callbacks/secret", this::secret);
    }

    private void deliveries(Context ctx) {
        TaskRecord task = lookup.find(ctx, callers.require(ctx, Callers.Scope.RUN));
        Optional<JdbcCallbackStore.Callback> callback = store.forTask(task.id());
        ObjectNode json = Json.object();
        json.put("task_id", task.id());
        if (callback.isEmpty()) {
            json.putNull("callback_url");
            json.putNull("state");
            json.putArray("attempts");
            json.putNull("next_attempt_at");
            json.putNull("finished_at");
            ctx.json(json);
            return;
        }
        JdbcCallbackStore.Callback c = callback.get();
        json.put("callback_url", c.url());
        json.put("state", c.state());
        ArrayNode attempts = json.putArray("attempts");
        for (JdbcCallbackStore.DeliveryAttempt a : c.history()) {
            ObjectNode item = attempts.addObject();
            item.put("number", a.number());
            TaskJson.time(item, "started_at", a.startedAt());
            item.put("duration_ms", a.durationMs());
            if (a.statusCode() == null) item.putNull("status_code");
            else item.put("status_code", a.statusCode());
            item.put("error", a.error());
        }
        TaskJson.time(json, "next_attempt_at", "pending".equals(c.state()) ? c.nextAt() : null);
        TaskJson.time(json, "finished_at", c.finishedAt());
        ctx.json(json);
    }

    private void secret(Context ctx) {
        callers.require(ctx, Callers.Scope.ADMIN);
        ObjectNode json = Json.object();
        json.put("secret", callbacks.secret());
        json.put("header", CallbackSigner.HEADER);
        json.put("scheme", "t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\" keyed with the secret>");
        ctx.json(json);
    }
}
