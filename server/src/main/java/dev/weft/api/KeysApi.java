package dev.weft.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.key.ServerKeys;
import dev.weft.store.KeyRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** The management API for server keys: create (the key is in this answer only), list, revoke. */
public final class KeysApi {

    public static final int NAME_MAX = 200;

    private final ServerKeys keys;

    public KeysApi(ServerKeys keys) {
        this.keys = keys;
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
        ServerKeys.Created created = keys.create(name.asText().trim(), null, null);
        ObjectNode json = keyJson(created.record());
        json.put("key", created.key());
        ctx.status(201).json(json);
    }

    private void list(Context ctx) {
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("keys");
        for (KeyRecord key : keys.list()) list.add(keyJson(key));
        ctx.json(json);
    }

    private void revoke(Context ctx) {
        String id = ctx.pathParam("key_id");
        if (!keys.revoke(id)) {
            throw new ApiException(ApiException.Kind.NOT_FOUND, "key_id", "no active key has id '" + id + "'");
        }
        ctx.status(204);
    }

    static ObjectNode keyJson(KeyRecord key) {
        ObjectNode json = Json.object();
        json.put("id", key.id());
        json.put("name", key.name());
        TaskJson.time(json, "created_at", key.createdAt());
        TaskJson.time(json, "last_used_at", key.lastUsedAt());
        TaskJson.time(json, "expires_at", key.expiresAt());
        TaskJson.time(json, "revoked_at", key.revokedAt());
        return json;
    }
}
