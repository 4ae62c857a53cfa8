package dev.weft.manage;

import dev.weft.http.ApiException;
import dev.weft.http.Bodies;
import dev.weft.http.TaskJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.InvalidFlowException;
import dev.weft.node.Problems;
import dev.weft.json.Json;
import dev.weft.auth.ServerKeys;
import dev.weft.store.KeyRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import dev.weft.store.JdbcFlowStore;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The management API for server keys: create (the key is in this answer only), list, revoke. A key may be limited
 * to some flows ({@code flow_ids}: it gets 403 on any other flow and its tasks) and given an expiry
 * ({@code expires_at}: afterwards it gets 401).
 */
public final class KeysApi {

    public static final int NAME_MAX = 200;
    public static final int FLOW_IDS_MAX = 1_000;

    private final ServerKeys keys;
    private final JdbcFlowStore flows;
    private final Clock clock;

    public KeysApi(ServerKeys keys, JdbcFlowStore flows, Clock clock) {
        this.keys = keys;
        this.flows = flows;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/keys", this::create);
        routes.get("/api/v1/keys", this::list);
        routes.delete("/api/v1/keys/{key_id}", this::revoke);
    }

    private void create(Context ctx) {
        ObjectNode body = Bodies.object(ctx, false);
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank() || name.asText().length() > NAME_MAX) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "name",
                    "is required: a non-empty string of at most " + NAME_MAX + " characters");
        }
        long workspace = dev.weft.auth.Caller.workspaceOf(ctx);
        ServerKeys.Created created = keys.create(name.asText().trim(), expiresAt(body.get("expires_at")),
                flowIds(body.get("flow_ids"), workspace), workspace);
        ObjectNode json = keyJson(created.record());
        json.put("key", created.key());
        ctx.status(201).json(json);
    }

    private void list(Context ctx) {
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("keys");
        for (KeyRecord key : keys.list(dev.weft.auth.Caller.workspaceOf(ctx))) list.add(keyJson(key));
        ctx.json(json);
    }

    private void revoke(Context ctx) {
        String id = ctx.pathParam("key_id");
        if (!keys.revoke(id)) {
            throw new ApiException(ApiException.Kind.NOT_FOUND, "key_id", "no active key has id '" + id + "'");
        }
        ctx.status(204);
    }

    /** {@code expires_at}: an ISO-8601 instant in the future, or absent (the key never expires). */
    private Instant expiresAt(JsonNode value) {
        if (value == null || value.isNull()) return null;
        Instant at;
        try {
            at = value.isTextual() ? Instant.parse(value.asText()) : null;
        } catch (DateTimeParseException e) {
            at = null;
        }
        if (at == null) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "expires_at",
                    "must be a time such as \"2027-01-31T00:00:00Z\" (ISO-8601, UTC)");
        }
        if (!at.isAfter(clock.instant())) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "expires_at", "must be in the future");
        }
        return at;
    }

    /** {@code flow_ids}: the ids of existing flows the key may use, or absent (every flow). */
    private List<Long> flowIds(JsonNode value, long workspace) {
        if (value == null || value.isNull()) return null;
        if (!value.isArray() || value.isEmpty() || value.size() > FLOW_IDS_MAX) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "flow_ids",
                    "must be a non-empty array of at most " + FLOW_IDS_MAX + " flow ids (leave it out for every flow)");
        }
        Problems problems = new Problems();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode id = value.get(i);
            if (!id.isIntegralNumber() || id.asLong() < 1) {
                problems.add("flow_ids[" + i + "]", "must be a flow id (a positive integer)");
            } else if (flows.get(id.asLong()).filter(flow -> flow.workspaceId() == workspace).isEmpty()) {
                problems.add("flow_ids[" + i + "]", "flow " + id.asLong() + " does not exist");
            } else if (!ids.contains(id.asLong())) {
                ids.add(id.asLong());
            }
        }
        if (!problems.isEmpty()) throw new InvalidFlowException("the key's settings are invalid", problems.list());
        return ids;
    }

    static ObjectNode keyJson(KeyRecord key) {
        ObjectNode json = Json.object();
        json.put("id", key.id());
        json.put("name", key.name());
        TaskJson.time(json, "created_at", key.createdAt());
        TaskJson.time(json, "last_used_at", key.lastUsedAt());
        TaskJson.time(json, "expires_at", key.expiresAt());
        TaskJson.time(json, "revoked_at", key.revokedAt());
        if (key.flowIds() == null) {
            json.putNull("flow_ids");
        } else {
            ArrayNode ids = json.putArray("flow_ids");
            key.flowIds().forEach(ids::add);
        }
        return json;
    }
}
