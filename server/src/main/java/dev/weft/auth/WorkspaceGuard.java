package dev.weft.auth;

import dev.weft.event.TaskLookup;
import dev.weft.http.ApiException;
import dev.weft.store.JdbcFlowStore;
import dev.weft.store.JdbcWorkspaceOf;
import dev.weft.store.TaskRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The one check that keeps workspaces apart on every route that names an object by id in its path: once the
 * request's {@link Caller} is known, an object of another workspace answers the very 404 an id that does not exist
 * gets (never 403, so ids do not leak). Which path parameter names which kind of object is listed once here
 * ({@link #KINDS}); schedules, webhooks, forms, versions and test-runs live under their flow's {@code flow_id}. The
 * run API's routes, which resolve their caller in the handler, check through {@link TaskLookup} and the
 * execute path instead (a comparison against the task row or the flow's kept workspace, no extra query).
 */
public final class WorkspaceGuard {

    /** A path parameter naming an object: how its workspace is found, and the 404 an unknown id gets. */
    record Kind(Function<String, OptionalLong> workspace, Function<String, String> notFound) {}

    private final Map<String, Kind> kinds;

    public WorkspaceGuard(JdbcFlowStore flows, TaskLookup tasks, JdbcWorkspaceOf objects) {
        this.kinds = Map.of(
                "flow_id", new Kind(id -> number(id).isEmpty() ? OptionalLong.empty()
                        : flows.workspaceOf(number(id).getAsLong()), id -> "flow " + id + " does not exist"),
                "task_id", new Kind(id -> number(id).isEmpty() ? OptionalLong.empty()
                        : tasks.lookup(number(id).getAsLong()).map(TaskRecord::workspaceId)
                        .map(OptionalLong::of).orElse(OptionalLong.empty()), id -> "task " + id + " does not exist"),
                "key_id", new Kind(objects::key, id -> "no active key has id '" + id + "'"),
                "file_id", new Kind(objects::file, id -> "file '" + id + "' does not exist"),
                "kb_id", new Kind(id -> number(id).isEmpty() ? OptionalLong.empty()
                        : objects.knowledgeBase(number(id).getAsLong()), id -> "knowledge base " + id + " does not exist"));
    }

    /** The path parameters this guard checks. */
    public static final java.util.Set<String> KINDS = java.util.Set.of("flow_id", "task_id", "key_id", "file_id", "kb_id");

    public void register(RoutesConfig routes) {
        routes.beforeMatched(this::check);
    }

    /** 404 when the request's caller is known and a path parameter names an object of another workspace. */
    public void check(Context ctx) {
        Caller caller = ctx.attribute(Caller.ATTRIBUTE);
        if (caller == null) return;   // the handler resolves its caller and checks itself (the run API)
        for (Map.Entry<String, String> param : ctx.pathParamMap().entrySet()) {
            Kind kind = kinds.get(param.getKey());
            if (kind == null) continue;
            OptionalLong workspace = kind.workspace().apply(param.getValue());
            if (workspace.isPresent() && !caller.sees(workspace.getAsLong())) {
                throw new ApiException(ApiException.Kind.NOT_FOUND, param.getKey(), kind.notFound().apply(param.getValue()));
            }
        }
    }

    private static OptionalLong number(String id) {
        try {
            return OptionalLong.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
