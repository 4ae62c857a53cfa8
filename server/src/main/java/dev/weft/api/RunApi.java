package dev.weft.api;

import dev.weft.key.AdminToken;
import dev.weft.key.ServerKeys;
import dev.weft.store.JdbcTaskStore;
import dev.weft.store.KeyRecord;
import dev.weft.store.TaskRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.time.Duration;
import java.util.Optional;

/**
 * The run API, compatible with Scade's "Run flows via API": execute a flow with a server key and get a task id
 * at once, then poll the task until {@code status} is 3. The admin token is accepted wherever a key is.
 */
public final class RunApi {

    private final Executions executions;
    private final JdbcTaskStore tasks;
    private final ServerKeys keys;
    private final AdminToken admin;
    private final RecentTasks recent;
    private final TaskWaits waits;
    private final Duration waitMax;

    public RunApi(Executions executions, JdbcTaskStore tasks, ServerKeys keys, AdminToken admin, RecentTasks recent,
                  TaskWaits waits, Duration waitMax) {
        this.executions = executions;
        this.tasks = tasks;
        this.keys = keys;
        this.admin = admin;
        this.recent = recent;
        this.waits = waits;
        this.waitMax = waitMax;
    }

    /** The task as the API shows it: from memory when this process runs it, else from the database. */
    public Optional<TaskRecord> lookup(long id) {
        return recent.get(id).or(() -> tasks.get(id));
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/scade/flow/{flow_id}/execute", this::execute);
        routes.get("/api/v1/task/{task_id}", this::task);
        routes.get("/api/v1/task/{task_id}/steps", this::steps);
    }

    private void execute(Context ctx) {
        String keyId = caller(ctx);
        long flowId = Bodies.id(ctx, "flow_id", "flow");
        Duration wait = waitParam(ctx);
        TaskRecord accepted = executions.execute(flowId, Bodies.object(ctx, true), keyId);
        answer(ctx, accepted, wait);
    }

    private void task(Context ctx) {
        caller(ctx);
        Duration wait = waitParam(ctx);
        answer(ctx, find(ctx), wait);
    }

    /**
     * Answers with the task; with {@code ?wait}, once it finishes (200) or when the wait is over (202, still
     * queued or running). No thread is held while waiting.
     */
    private void answer(Context ctx, TaskRecord task, Duration wait) {
        if (wait.isZero() || task.state().finished()) {
            ctx.json(TaskJson.task(task));
            return;
        }
        ctx.future(() -> waits.await(task.id(), wait).thenAccept(now ->
                ctx.status(now.state().finished() ? 200 : 202).json(TaskJson.task(now))));
    }

    /** {@code ?wait=N}: seconds (decimals allowed) to wait for the task to finish, capped by the server's maximum. */
    private Duration waitParam(Context ctx) {
        String raw = ctx.queryParam("wait");
        if (raw == null || raw.isBlank()) return Duration.ZERO;
        double seconds;
        try {
            seconds = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "wait",
                    "must be a number of seconds from 0 to " + waitMax.toSeconds() + " (got '" + raw + "')");
        }
        Duration wait = Duration.ofMillis((long) (seconds * 1000));
        return wait.compareTo(waitMax) > 0 ? waitMax : wait;
    }

    private void steps(Context ctx) {
        caller(ctx);
        TaskRecord task = find(ctx);
        ctx.json(TaskJson.steps(task.id(), tasks.steps(task.id())));
    }

    private TaskRecord find(Context ctx) {
        long id = Bodies.id(ctx, "task_id", "task");
        return lookup(id).orElseThrow(() ->
                new ApiException(ApiException.Kind.NOT_FOUND, "task_id", "task " + id + " does not exist"));
    }

    /** The key id of the caller (null for the admin), or 401. */
    private String caller(Context ctx) {
        String authorization = ctx.header(Header.AUTHORIZATION);
        if (admin.matches(authorization)) return null;
        KeyRecord key = keys.authenticate(authorization);
        return key.id();
    }
}
