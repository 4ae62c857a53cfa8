package dev.weft.api;

import dev.weft.key.AdminToken;
import dev.weft.key.ServerKeys;
import dev.weft.store.JdbcTaskStore;
import dev.weft.store.KeyRecord;
import dev.weft.store.TaskRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;

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

    public RunApi(Executions executions, JdbcTaskStore tasks, ServerKeys keys, AdminToken admin, RecentTasks recent) {
        this.executions = executions;
        this.tasks = tasks;
        this.keys = keys;
        this.admin = admin;
        this.recent = recent;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/scade/flow/{flow_id}/execute", this::execute);
        routes.get("/api/v1/task/{task_id}", this::task);
        routes.get("/api/v1/task/{task_id}/steps", this::steps);
    }

    private void execute(Context ctx) {
        String keyId = caller(ctx);
        long flowId = Bodies.id(ctx, "flow_id", "flow");
        ctx.json(TaskJson.task(executions.execute(flowId, Bodies.object(ctx, true), keyId)));
    }

    private void task(Context ctx) {
        caller(ctx);
        ctx.json(TaskJson.task(find(ctx)));
    }

    private void steps(Context ctx) {
        caller(ctx);
        TaskRecord task = find(ctx);
        ctx.json(TaskJson.steps(task.id(), tasks.steps(task.id())));
    }

    private TaskRecord find(Context ctx) {
        long id = Bodies.id(ctx, "task_id", "task");
        return recent.get(id).or(() -> tasks.get(id)).orElseThrow(() ->
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
