package dev.weft.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.audit.Audit;
import dev.weft.http.ApiException;
import dev.weft.http.Bodies;
import dev.weft.json.Json;
import dev.weft.store.JdbcFileStore;
import dev.weft.store.JdbcUserStore;
import dev.weft.store.SessionRecord;
import dev.weft.store.UserRecord;
import dev.weft.store.WorkspaceRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workspaces as their members see them: mine (with my role in each), a new one (its creator its owner), renaming the
 * current one, and switching a session's current workspace ({@code POST /api/v1/session/workspace}, 404 unless the
 * user is a member). The admin token lists every workspace, makes ones with no member yet, and names the one it acts
 * in with {@value Callers#WORKSPACE_HEADER}.
 */
public final class WorkspacesApi {

    static final int NAME_MAX = 100;
    private static final Logger log = LoggerFactory.getLogger(WorkspacesApi.class);

    private final JdbcUserStore users;
    private final Sessions sessions;
    private final Audit audit;
    private final JdbcFileStore files;

    /** {@code files}: the file store, whose files of a deleted workspace go with it. */
    public WorkspacesApi(JdbcUserStore users, Sessions sessions, Audit audit, JdbcFileStore files) {
        this.users = users;
        this.sessions = sessions;
        this.audit = audit;
        this.files = files;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/workspaces", this::list);
        routes.post("/api/v1/workspaces", this::create);
        routes.put("/api/v1/workspaces/{workspace_id}", this::rename);
        routes.delete("/api/v1/workspaces/{workspace_id}", this::delete);
        routes.post("/api/v1/session/workspace", this::change);
    }

    private void list(Context ctx) {
        Member member = ctx.attribute(SessionFilter.MEMBER_ATTRIBUTE);
        long current = Caller.workspaceOf(ctx);
        List<WorkspaceRecord> mine = member != null ? users.workspaces(member.userId()) : every();
        ObjectNode json = Json.object();
        json.put("current", current);
        ArrayNode items = json.putArray("workspaces");
        for (WorkspaceRecord workspace : mine) items.add(json(workspace, current));
        ctx.json(json);
    }

    /** Every workspace, as the admin token sees them (it is the whole server's credential: owner everywhere). */
    private List<WorkspaceRecord> every() {
        return users.workspaceIds().stream().sorted().map(id -> new WorkspaceRecord(id, name(id), null, "owner"))
                .toList();
    }

    private String name(long id) {
        return users.workspaceName(id).orElse(null);
    }

    private void create(Context ctx) {
        ObjectNode body = Bodies.object(ctx, false);
        String name = name(body);
        Member member = ctx.attribute(SessionFilter.MEMBER_ATTRIBUTE);
        WorkspaceRecord made = users.createWorkspace(name, member == null ? null : member.userId());
        audit.record(made.id(), RoutePolicy.actor(ctx), "workspace.create", "workspace", String.valueOf(made.id()),
                name, ctx.req().getRemoteAddr());
        ctx.status(201).json(json(made, Caller.workspaceOf(ctx)));
    }

    private void rename(Context ctx) {
        long id = Bodies.id(ctx, "workspace_id", "workspace");
        // only the workspace the caller acts in; another is as if it did not exist
        Caller.of(ctx).checkWorkspace(id, "workspace_id", "workspace " + id + " does not exist");
        String name = name(Bodies.object(ctx, false));
        if (!users.renameWorkspace(id, name)) {
            throw new ApiException(ApiException.Kind.NOT_FOUND, "workspace_id", "workspace " + id + " does not exist");
        }
        audit.record(id, RoutePolicy.actor(ctx), "workspace.rename", "workspace", String.valueOf(id), name,
                ctx.req().getRemoteAddr());
        ctx.json(Json.object().put("id", id).put("name", name));
    }

    /**
     * Deletes the workspace the caller acts in (its owner, or the admin token naming it), once it holds nothing: 409
     * naming what is left (live flows, keys not revoked, credentials, knowledge bases, MCP servers, unfinished tasks),
     * and always for the default workspace. Sessions in it move to another workspace of their user, or end; its files
     * (uploads, files its steps stored) are deleted with it.
     */
    private void delete(Context ctx) {
        long id = Bodies.id(ctx, "workspace_id", "workspace");
        Caller.of(ctx).checkWorkspace(id, "workspace_id", "workspace " + id + " does not exist");
        if (id == JdbcUserStore.DEFAULT_WORKSPACE) {
            throw new ApiException(ApiException.Kind.CONFLICT, "workspace_id", "the default workspace cannot be deleted");
        }
        String name = users.workspaceName(id).orElseThrow(() -> new ApiException(ApiException.Kind.NOT_FOUND,
                "workspace_id", "workspace " + id + " does not exist"));
        Map<String, Integer> left = users.deleteWorkspace(id);
        if (!left.isEmpty()) {
            throw new ApiException(ApiException.Kind.CONFLICT, "workspace_id", "workspace '" + name + "' is not empty: "
                    + "it holds " + holdings(left));
        }
        // its files go too: no one could list or delete them any more, and their links would still serve them
        int gone = files.deleteWorkspace(id);
        // its own audit log goes with it, to no one: the server's log keeps who deleted it
        log.info("workspace {} ('{}') deleted by {}, with {} file(s)", id, name, RoutePolicy.actor(ctx), gone);
        ctx.status(204);
    }

    /** "2 flows, 1 server key", from the kinds {@link JdbcUserStore#workspaceHolds} names. */
    static String holdings(Map<String, Integer> left) {
        List<String> parts = new ArrayList<>();
        left.forEach((kind, count) -> {
            String word = kind.replace('_', ' ').replace("mcp servers", "MCP servers");
            parts.add(count + " " + (count == 1 ? word.substring(0, word.length() - 1) : word));
        });
        return String.join(", ", parts);
    }

    /** Switches the session's current workspace: 404 unless its user is a member of that one. */
    private void change(Context ctx) {
        Member member = ctx.attribute(SessionFilter.MEMBER_ATTRIBUTE);
        if (member == null) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "workspace_id", "only a signed-in session has a "
                    + "current workspace; the admin token names its workspace in the " + Callers.WORKSPACE_HEADER
                    + " header");
        }
        ObjectNode body = Bodies.object(ctx, false);
        if (!body.path("workspace_id").isIntegralNumber()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "workspace_id", "is required (a workspace id)");
        }
        long id = body.get("workspace_id").asLong();
        if (!sessions.switchWorkspace(member.userId(), member.sessionId(), id)) {
            throw new ApiException(ApiException.Kind.NOT_FOUND, "workspace_id", "workspace " + id + " does not exist");
        }
        UserRecord user = users.find(member.userId(), id).orElseThrow();
        SessionRecord session = sessions.list(member.userId()).stream().filter(s -> s.id().equals(member.sessionId()))
                .findFirst().orElseThrow();
        ctx.json(SessionApi.signedIn(session, user, users.workspaces(member.userId())));
    }

    private static String name(ObjectNode body) {
        if (!body.path("name").isTextual() || body.get("name").asText().isBlank()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "name", "is required (text)");
        }
        String name = body.get("name").asText().trim();
        if (name.length() > NAME_MAX) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "name", "must be at most " + NAME_MAX + " characters");
        }
        return name;
    }

    private static ObjectNode json(WorkspaceRecord workspace, long current) {
        ObjectNode json = Json.object().put("id", workspace.id()).put("name", workspace.name())
                .put("role", workspace.role()).put("current", workspace.id() == current);
        if (workspace.createdAt() != null) json.put("created_at", workspace.createdAt().toString());
        return json;
    }
}
