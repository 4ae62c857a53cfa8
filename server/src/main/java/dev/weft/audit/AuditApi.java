package dev.weft.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.http.ApiException;
import dev.weft.json.Json;
import dev.weft.store.AuditEntry;
import dev.weft.store.JdbcAuditLog;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code GET /api/v1/audit}: the audit log newest first, filtered by actor, action, object type and id, and a time
 * range, in pages ({@code limit}, then {@code before=<next_before>}). Who may read it is the route policy's call.
 */
public final class AuditApi {

    public static final String PATH = "/api/v1/audit";
    public static final int LIMIT_DEFAULT = 50;
    public static final int LIMIT_MAX = 500;

    private final JdbcAuditLog log;
    private final java.util.function.ToLongFunction<Context> workspace;

    /** The audit log of the default workspace. */
    public AuditApi(JdbcAuditLog log) {
        this(log, ctx -> dev.weft.store.Database.DEFAULT_WORKSPACE);
    }

    /** The audit log of the workspace each request acts in ({@code workspace}: the request's, as resolved). */
    public AuditApi(JdbcAuditLog log, java.util.function.ToLongFunction<Context> workspace) {
        this.log = log;
        this.workspace = workspace;
    }

    public void register(RoutesConfig routes) {
        routes.get(PATH, this::list);
    }

    private void list(Context ctx) {
        int limit = LIMIT_DEFAULT;
        String given = ctx.queryParam("limit");
        if (given != null) {
            try {
                limit = Integer.parseInt(given);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > LIMIT_MAX) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, "limit", "must be a whole number from 1 to " + LIMIT_MAX);
            }
        }
        Long before = null;
        if (ctx.queryParam("before") != null) {
            try {
                before = Long.parseLong(ctx.queryParam("before"));
            } catch (NumberFormatException e) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, "before", "must be an entry id (next_before of the previous page)");
            }
        }
        List<AuditEntry> entries = log.read(workspace.applyAsLong(ctx), new JdbcAuditLog.Query(text(ctx, "actor"), text(ctx, "action"),
                text(ctx, "object_type"), text(ctx, "object_id"), time(ctx, "from"), time(ctx, "to"), before, limit + 1));
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("entries");
        for (AuditEntry entry : entries.subList(0, Math.min(limit, entries.size()))) {
            ObjectNode item = list.addObject().put("id", entry.id()).put("at", entry.at().toString())
                    .put("actor", entry.actor()).put("action", entry.action());
            item.put("object_type", entry.objectType());
            item.put("object_id", entry.objectId());
            if (entry.detail() != null) item.set("detail", Json.read(entry.detail()));
            else item.putNull("detail");
            item.put("address", entry.address());
        }
        if (entries.size() > limit) json.put("next_before", entries.get(limit - 1).id());
        else json.putNull("next_before");
        ctx.json(json);
    }

    private static String text(Context ctx, String name) {
        String value = ctx.queryParam(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static Instant time(Context ctx, String name) {
        String value = text(ctx, name);
        if (value == null) return null;
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, name, "must be an ISO-8601 instant such as 2026-12-05T00:00:00Z");
        }
    }
}
