package dev.weft.auth;

import dev.weft.http.ApiException;
import dev.weft.store.KeyRecord;

/** Who sent a run API request: a server key (maybe limited to some flows) or the admin ({@code key} null). */
public record Caller(KeyRecord key) {

    public static final Caller ADMIN = new Caller(null);

    /** The key's id, recorded with the tasks it makes; null for the admin. */
    public String keyId() {
        return key == null ? null : key.id();
    }

    /** Where the caller's idempotency keys live: each server key has its own, and so has the admin. */
    public String scope() {
        return key == null ? "admin" : "key:" + key.id();
    }

    /** 403 naming the flow unless this caller may use it (a key limited to some flows, or any other caller). */
    public void checkFlow(long flowId) {
        if (key == null || key.flowIds() == null || key.flowIds().contains(flowId)) return;
        throw new ApiException(ApiException.Kind.FORBIDDEN, "flow_id", "server key '" + key.name() + "' may use only "
                + "flow" + (key.flowIds().size() == 1 ? " " : "s ") + key.flowIds().toString().replaceAll("[\\[\\]]", "")
                + "; flow " + flowId + " is outside its scope");
    }
}
