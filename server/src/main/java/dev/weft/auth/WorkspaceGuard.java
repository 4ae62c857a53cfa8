package dev.weft.auth;

import dev.weft.http.ApiException;
import dev.weft.store.JdbcFlowStore;
import dev.weft.store.JdbcWorkspaceOf;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The one check that keeps workspaces apart on every route that names an object by id in its path: once the
 * request's {@link Caller} is known ({@link Callers#require} calls {@link #check} when it resolves one inside a
 * handler; the before-matched hook checks what a path filter resolved), an object of another workspace answers the
 * very 404 an id that does not exist gets (never 403, so ids do not leak). Which path parameter names which kind of
 * object is listed once here ({@link #KINDS}); schedules, webhooks, forms, versions and test-runs live under their
 * flow's {@code flow_id}. A task named to the run API is checked by {@code TaskLookup} against the row it reads
 * anyway (no second read on the poll path).
 */
public final class WorkspaceGuard {

    /** A path parameter naming an object: how its workspace is found, and the 404 an unknown id gets. */
    record Kind(Function<String, OptionalLong> workspace, Function<String, String> notFound) {}

    private final Map<String, Kind> kinds;

    /** {@code taskWorkspace}: a task's workspace by id (from memory when this process runs it), empty when none. */
    public WorkspaceGuard(JdbcFlowStore flows, java.util.function.LongFunction<OptionalLong> taskWorkspace,
                          JdbcWorkspaceOf objects) {
        this.kinds = Map.of(
                "flow_id", new Kind(id -> number(id).isEmpty() ? OptionalLong.empty()
                        : flows.workspaceOf(number(id).getAsLong()), id -> "flow " + id + " does not exist"),
                "task_id", new Kind(id -> number(id).isEmpty() ? OptionalLong.empty()
                        : taskWorkspace.apply(number(id).getAsLong()), id -> "task " + id + " does not exist"),
                "key_id", new Kind(objects::key, id -> "no active key has id '" + id + "'"),
                "file_id", new Kind(objects::file, id -> "file '" + id + "' does not exist"),
                "kb_id", new Kind(id -> number(id).isEmpty() ? OptionalLong.empty()
                        : objects.knowledgeBase(number(id).getAsLong()), id -> "knowledge base " + id + " does not exist"));
    }

    /** The path parameters this guard checks. */
    public static final java.util.Set<String> KINDS = java.util.Set.of("flow_id", "task_id", "key_id", "file_id", "kb_id");

    /** Path parameters whose unknown ids this guard answers too (their routes' own 404s differ). */
    private static final java.util.Set<String> ANSWERED_HERE = java.util.Set.of("flow_id", "kb_id");

    private static final String CHECKED = "weft.workspace_checked";
    private static final String READY = "weft.workspace_ready";

    /** Registers the check after the role check ({@link RoutePolicy}, registered before it): a role's 403 first. */
    public void register(RoutesConfig routes) {
        routes.beforeMatched(ctx -> {
            ctx.attribute(READY, Boolean.TRUE);
            Caller caller = ctx.attribute(Caller.ATTRIBUTE);
            if (caller != null) check(ctx, caller, null);   // else the handler resolves its caller, and Callers checks
        });
    }

    /**
     * 404 when a path parameter of the matched route names an object of another workspace than {@code caller}'s;
     * once per request. Before the before-matched hook (a path filter resolving the caller) it does nothing: that
     * hook checks next, after the role check.
     */
    public void check(Context ctx, Caller caller, Callers.Scope scope) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        if (endpoint == null || ctx.attribute(READY) == null || ctx.attribute(CHECKED) != null) return;
        ctx.attribute(CHECKED, Boolean.TRUE);
        for (Map.Entry<String, String> param : params(endpoint.path, ctx.path()).entrySet()) {
            Kind kind = kinds.get(param.getKey());
            if (kind == null) continue;
            if (scope == Callers.Scope.RUN && param.getKey().equals("task_id")) continue;   // TaskLookup's
            OptionalLong workspace = kind.workspace().apply(param.getValue());
            // a flow or knowledge base id nothing has answers here too, before its routes look at anything else (a
            // schedule, a document, a body), so another workspace's and none get one answer on every route under it
            boolean noFlow = workspace.isEmpty() && ANSWERED_HERE.contains(param.getKey())
                    && number(param.getValue()).orElse(0) > 0;
            if (noFlow || workspace.isPresent() && !caller.sees(workspace.getAsLong())) {
                throw new ApiException(ApiException.Kind.NOT_FOUND, param.getKey(), kind.notFound().apply(param.getValue()));
            }
        }
    }

    /** The path parameters of {@code pattern} ({@code /a/{id}/b}) as {@code path} fills them. */
    static Map<String, String> params(String pattern, String path) {
        String[] names = pattern.split("/");
        String[] values = path.split("/");
        Map<String, String> params = new java.util.HashMap<>();
        for (int i = 0; i < names.length && i < values.length; i++) {
            String name = names[i];
            if (name.length() > 2 && name.startsWith("{") && name.endsWith("}")) {
                params.put(name.substring(1, name.length() - 1),
                        java.net.URLDecoder.decode(values[i], java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static OptionalLong number(String id) {
        try {
            return OptionalLong.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
