package dev.weft.auth;

import dev.weft.http.ApiException;
import dev.weft.store.Database;
import dev.weft.store.KeyRecord;
import io.javalin.http.Context;

/**
 * Who sent a request and in which workspace it acts: a server key (maybe limited to some flows; always in its own
 * workspace) or the admin ({@code key} null: the admin token in the workspace its {@code X-Weft-Workspace} header
 * names, or a signed-in member in their session's current workspace). {@link Callers} resolves it, in one place.
 */
public record Caller(KeyRecord key, long workspaceId) {

    /** The admin in the default workspace. */
    public static final Caller ADMIN = new Caller(null, Database.DEFAULT_WORKSPACE);
    /** The request attribute holding the {@link Caller} that {@link Callers#require} resolved. */
    public static final String ATTRIBUTE = "weft.caller";

    /** A server key's caller: it acts in the key's workspace. */
    public Caller(KeyRecord key) {
        this(key, key == null ? Database.DEFAULT_WORKSPACE : key.workspaceId());
    }

    /** The admin acting in workspace {@code workspaceId} (a trigger runs its flow in the flow's workspace). */
    public static Caller admin(long workspaceId) {
        return workspaceId == Database.DEFAULT_WORKSPACE ? ADMIN : new Caller(null, workspaceId);
    }

    /** The caller a credential check of this request resolved; the default workspace's admin when none ran. */
    public static Caller of(Context ctx) {
        Caller caller = ctx.attribute(ATTRIBUTE);
        return caller == null ? ADMIN : caller;
    }

    /** The workspace of the caller a credential check of this request resolved (the default one when none ran). */
    public static long workspaceOf(Context ctx) {
        return of(ctx).workspaceId();
    }

    /** The key's id, recorded with the tasks it makes; null for the admin. */
    public String keyId() {
        return key == null ? null : key.id();
    }

    /**
     * Where the caller's idempotency keys live: each server key has its own, and so has the admin in each
     * workspace (the default workspace's keeps its old name).
     */
    public String scope() {
        if (key != null) return "key:" + key.id();
        return workspaceId == Database.DEFAULT_WORKSPACE ? "admin" : "admin:" + workspaceId;
    }

    /** Whether an object of workspace {@code workspaceId} is visible to this caller. */
    public boolean sees(long objectWorkspace) {
        return objectWorkspace == workspaceId;
    }

    /**
     * Nothing unless the object lives in another workspace; then the very 404 an id that does not exist gets
     * ({@code field} and {@code detail} as the caller's "does not exist" answer words them), so ids never leak.
     */
    public void checkWorkspace(long objectWorkspace, String field, String detail) {
        if (objectWorkspace != workspaceId) throw new ApiException(ApiException.Kind.NOT_FOUND, field, detail);
    }

    /** 403 naming the flow unless this caller may use it (a key limited to some flows, or any other caller). */
    public void checkFlow(long flowId) {
        if (key == null || key.flowIds() == null || key.flowIds().contains(flowId)) return;
        throw new ApiException(ApiException.Kind.FORBIDDEN, "flow_id", "server key '" + key.name() + "' may use only "
                + "flow" + (key.flowIds().size() == 1 ? " " : "s ") + key.flowIds().toString().replaceAll("[\\[\\]]", "")
                + "; flow " + flowId + " is outside its scope");
    }
}
