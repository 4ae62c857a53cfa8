package dev.weft.hook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.file.FileLinks;
import dev.weft.flow.InvalidFlowException;
import dev.weft.http.ApiException;
import dev.weft.http.Bodies;
import dev.weft.http.TaskJson;
import dev.weft.json.Json;
import dev.weft.node.Credentials;
import dev.weft.node.Problems;
import dev.weft.store.JdbcFlowStore;
import dev.weft.store.JdbcTaskList;
import dev.weft.store.TaskRecord;
import dev.weft.store.WebhookRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The management API of a flow's webhook triggers (admin, as every {@code /api/v1/flows} route): create (the token
 * and URL are in this answer only), list, read, replace the settings, give a new token, revoke, delete, and list
 * the tasks a webhook started. A signature check names a stored credential, checked to exist when saved.
 */
public final class WebhooksApi {

    public static final String BASE = "/api/v1/flows/{flow_id}/webhooks";
    public static final int NAME_MAX = 200;

    private final Webhooks webhooks;
    private final JdbcFlowStore flows;
    private final Credentials credentials;
    private final FileLinks links;
    private final long bodyCap;

    public WebhooksApi(Webhooks webhooks, JdbcFlowStore flows, Credentials credentials, FileLinks links, long bodyCap) {
        this.webhooks = webhooks;
        this.flows = flows;
        this.credentials = credentials;
        this.links = links;
        this.bodyCap = bodyCap;
    }

    public void register(RoutesConfig routes) {
        routes.post(BASE, this::create);
        routes.get(BASE, this::list);
        routes.get(BASE + "/{webhook_id}", ctx -> ctx.json(json(find(ctx))));
        routes.put(BASE + "/{webhook_id}", this::update);
        routes.delete(BASE + "/{webhook_id}", this::delete);
        routes.post(BASE + "/{webhook_id}/rotate", this::rotate);
        routes.post(BASE + "/{webhook_id}/revoke", this::revoke);
        routes.get(BASE + "/{webhook_id}/tasks", this::tasks);
    }

    private void create(Context ctx) {
        long flowId = flowId(ctx);
        ObjectNode body = Bodies.object(ctx, false);
        String name = name(body.get("name"), null);
        Webhooks.WithToken created = webhooks.create(flowId, name, settings(body, flowId));
        ctx.status(201).header("Location", "/api/v1/flows/" + flowId + "/webhooks/" + created.record().id())
                .json(withToken(created));
    }

    private void list(Context ctx) {
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("webhooks");
        for (WebhookRecord webhook : webhooks.ofFlow(flowId(ctx))) list.add(json(webhook));
        ctx.json(json);
    }

    /** Replaces the settings (absent fields take their defaults) and, when given, the name; the token stays. */
    private void update(Context ctx) {
        WebhookRecord webhook = find(ctx);
        ObjectNode body = Bodies.object(ctx, false);
        String name = name(body.get("name"), webhook.name());
        WebhookSettings settings = settings(body, webhook.flowId());
        ctx.json(json(webhooks.update(webhook.id(), name, settings).orElseThrow(() -> notFound(webhook.id()))));
    }

    private void delete(Context ctx) {
        WebhookRecord webhook = find(ctx);
        if (!webhooks.delete(webhook.id())) throw notFound(webhook.id());
        ctx.status(204);
    }

    /** A new token: the old one stops at once, and a revoked webhook is live again. */
    private void rotate(Context ctx) {
        WebhookRecord webhook = find(ctx);
        ctx.json(withToken(webhooks.rotate(webhook.id()).orElseThrow(() -> notFound(webhook.id()))));
    }

    /** Its token answers 404 from now on, as an unknown one; revoking twice is harmless. */
    private void revoke(Context ctx) {
        WebhookRecord webhook = find(ctx);
        webhooks.revoke(webhook.id());
        ctx.json(json(webhooks.find(webhook.id()).orElseThrow(() -> notFound(webhook.id()))));
    }

    private void tasks(Context ctx) {
        WebhookRecord webhook = find(ctx);
        long before = number(ctx, "before", Long.MAX_VALUE);
        int limit = (int) Math.min(number(ctx, "limit", 50), JdbcTaskList.LIMIT_MAX);
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("tasks");
        for (TaskRecord task : webhooks.store().tasks(webhook.id(), before, limit)) {
            ObjectNode item = TaskJson.task(task);
            HooksApi.trigger(item, webhook);
            list.add(item);
        }
        ctx.json(json);
    }

    /** The settings of a webhook of flow {@code flowId}: its secret credential is looked up in the flow's workspace. */
    private WebhookSettings settings(ObjectNode body, long flowId) {
        Problems problems = new Problems();
        WebhookSettings settings = WebhookSettings.read(body, bodyCap, problems);
        settings.signature().ifPresent(check -> {
            var credential = credentials instanceof dev.weft.store.JdbcCredentialStore store
                    ? store.findForFlow(flowId, check.secretCredential()) : credentials.find(check.secretCredential());
            if (credential.isEmpty()) {
                problems.add("signature.secret_credential", "no credential named '" + check.secretCredential()
                        + "': create it first (POST /api/v1/credentials, type api_key) with the shared secret");
            } else if (!credential.get().type().isToken()) {
                problems.add("signature.secret_credential", "credential '" + check.secretCredential() + "' is "
                        + credential.get().type().id() + "; the shared secret must be an api_key or bearer credential");
            }
        });
        if (!problems.isEmpty()) throw new InvalidFlowException("the webhook's settings are invalid", problems.list());
        return settings;
    }

    private static String name(JsonNode name, String fallback) {
        if ((name == null || name.isNull()) && fallback != null) return fallback;
        if (name == null || !name.isTextual() || name.asText().isBlank() || name.asText().length() > NAME_MAX) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "name",
                    "is required: a non-empty string of at most " + NAME_MAX + " characters");
        }
        return name.asText().strip();
    }

    private long flowId(Context ctx) {
        long flowId = Bodies.id(ctx, "flow_id", "flow");
        if (flows.get(flowId).isEmpty()) {
            throw new ApiException(ApiException.Kind.NOT_FOUND, "flow_id", "flow " + flowId + " does not exist");
        }
        return flowId;
    }

    private WebhookRecord find(Context ctx) {
        long flowId = flowId(ctx);
        String id = ctx.pathParam("webhook_id");
        return webhooks.find(id).filter(w -> w.flowId() == flowId).orElseThrow(() -> notFound(id));
    }

    private static ApiException notFound(String id) {
        return new ApiException(ApiException.Kind.NOT_FOUND, "webhook_id", "this flow has no webhook '" + id + "'");
    }

    private static long number(Context ctx, String name, long fallback) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return fallback;
        try {
            long value = Long.parseLong(raw.trim());
            if (value >= 1) return value;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ApiException(ApiException.Kind.INVALID_INPUT, name, "must be a whole number of at least 1 (got '"
                + raw + "')");
    }

    private ObjectNode withToken(Webhooks.WithToken made) {
        ObjectNode json = json(made.record());
        json.put("token", made.token());
        json.put("url", links.base() + "/hooks/" + made.token());
        return json;
    }

    static ObjectNode json(WebhookRecord webhook) {
        ObjectNode json = Json.object();
        json.put("id", webhook.id());
        json.put("flow_id", webhook.flowId());
        json.put("name", webhook.name());
        json.put("live", webhook.live());
        json.setAll((ObjectNode) webhook.settings());
        TaskJson.time(json, "created_at", webhook.createdAt());
        TaskJson.time(json, "updated_at", webhook.updatedAt());
        TaskJson.time(json, "rotated_at", webhook.rotatedAt());
        TaskJson.time(json, "revoked_at", webhook.revokedAt());
        return json;
    }
}
