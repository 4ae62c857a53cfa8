package dev.weft.manage;

import dev.weft.http.ApiException;
import dev.weft.http.Bodies;
import dev.weft.http.TaskJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.Credentials;
import dev.weft.store.JdbcCredentialStore;
import dev.weft.store.JdbcCredentialStore.CredentialInfo;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The management API for stored credentials (admin token): create (typed: {@code api_key}, {@code bearer},
 * {@code basic}, {@code headers}), list, read, rotate, delete. A secret goes in at creation or rotation and no answer
 * ever contains it; nodes name a credential in their settings and get its secret only when they run, and only for
 * the credential's {@code hosts} when it names some. A credential a published version names cannot be deleted.
 */
public final class CredentialsApi {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    static final int SECRET_MAX_CHARS = 16 * 1024;
    static final int DESCRIPTION_MAX_CHARS = 500;
    static final int HOSTS_MAX = 20;
    /** A host name, an IP address, or {@code *.} and a domain. */
    static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9.-]{0,252}[a-z0-9])?|\\[[0-9a-f:.]+\\]");

    private final JdbcCredentialStore credentials;
    private final CredentialUsage usage;

    public CredentialsApi(JdbcCredentialStore credentials, CredentialUsage usage) {
        this.credentials = credentials;
        this.usage = usage;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/credentials", this::create);
        routes.get("/api/v1/credentials", this::list);
        routes.get("/api/v1/credentials/{name}", ctx -> {
            CredentialInfo info = find(ctx);
            ctx.json(infoJson(info, usage.of(dev.weft.auth.Caller.workspaceOf(ctx), info.name()), usage.mcpServers(dev.weft.auth.Caller.workspaceOf(ctx)).getOrDefault(info.name(), List.of()),
                usage.webhooks(dev.weft.auth.Caller.workspaceOf(ctx)).getOrDefault(info.name(), List.of())));
        });
        routes.post("/api/v1/credentials/{name}/rotate", this::rotate);
        routes.delete("/api/v1/credentials/{name}", this::delete);
    }

    private void create(Context ctx) {
        ObjectNode body = Bodies.object(ctx, false);
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || !NAME.matcher(name.asText()).matches()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "name", "is required: 1 to 100 letters, digits,"
                    + " '_', '.' or '-', starting with a letter or digit");
        }
        Credentials.Type type = type(body.get("type"));
        String secret = CredentialSecrets.read(type, body);
        JsonNode description = body.get("description");
        if (description != null && !description.isNull()
                && (!description.isTextual() || description.asText().length() > DESCRIPTION_MAX_CHARS)) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "description",
                    "must be a string of at most " + DESCRIPTION_MAX_CHARS + " characters");
        }
        List<String> hosts = hosts(body.get("hosts"));
        CredentialInfo created = credentials.in(dev.weft.auth.Caller.workspaceOf(ctx)).create(name.asText(), type,
                description == null || description.isNull() ? null : description.asText(), secret, hosts)
                .orElseThrow(() -> new ApiException(ApiException.Kind.CONFLICT, "name", "a credential named '"
                        + name.asText() + "' exists; rotate it to replace its secret"));
        ctx.status(201).header("Location", "/api/v1/credentials/" + created.name())
                .json(infoJson(created, usage.of(dev.weft.auth.Caller.workspaceOf(ctx), created.name()), usage.mcpServers(dev.weft.auth.Caller.workspaceOf(ctx)).getOrDefault(created.name(), List.of()),
                usage.webhooks(dev.weft.auth.Caller.workspaceOf(ctx)).getOrDefault(created.name(), List.of())));
    }

    private static Credentials.Type type(JsonNode type) {
        if (type == null || type.isNull()) return Credentials.Type.API_KEY;
        return (type.isTextual() ? Credentials.Type.of(type.asText()) : java.util.Optional.<Credentials.Type>empty())
                .orElseThrow(() -> new ApiException(ApiException.Kind.INVALID_INPUT, "type",
                        "must be one of api_key, bearer, basic, headers (got " + type + ")"));
    }

    /** A new secret of the credential's own type, the name and type kept; {@code rotated_at} says when. */
    private void rotate(Context ctx) {
        CredentialInfo info = find(ctx);
        ObjectNode body = Bodies.object(ctx, false);
        JsonNode type = body.get("type");
        if (type != null && !type.isNull() && !type.asText().equals(info.type().id())) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "type", "credential '" + info.name() + "' is "
                    + info.type().id() + "; a rotation keeps the type (create another credential for another type)");
        }
        String secret = CredentialSecrets.read(info.type(), body);
        CredentialInfo rotated = credentials.in(dev.weft.auth.Caller.workspaceOf(ctx)).rotate(info.name(), secret)
                .orElseThrow(() -> notFound(info.name()));
        ctx.json(infoJson(rotated, usage.of(dev.weft.auth.Caller.workspaceOf(ctx), rotated.name()), usage.mcpServers(dev.weft.auth.Caller.workspaceOf(ctx)).getOrDefault(rotated.name(), List.of()),
                usage.webhooks(dev.weft.auth.Caller.workspaceOf(ctx)).getOrDefault(rotated.name(), List.of())));
    }

    /** The hosts the secret may go to: lower-case names, IP addresses or {@code *.domain}; none: any host. */
    private static List<String> hosts(JsonNode hosts) {
        if (hosts == null || hosts.isNull()) return List.of();
        if (!hosts.isArray() || hosts.size() > HOSTS_MAX) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "hosts", "must be a list of at most " + HOSTS_MAX
                    + " host names such as api.openai.com or *.example.com");
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            JsonNode host = hosts.get(i);
            if (!host.isTextual() || !HOST.matcher(host.asText().toLowerCase(Locale.ROOT)).matches()) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, "hosts[" + i + "]",
                        "must be a host name such as api.openai.com, or *.example.com for its subdomains");
            }
            list.add(host.asText().toLowerCase(Locale.ROOT));
        }
        return list;
    }

    private void list(Context ctx) {
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("credentials");
        Map<String, List<CredentialUsage.Use>> uses = usage.all(dev.weft.auth.Caller.workspaceOf(ctx));
        Map<String, List<String>> servers = usage.mcpServers(dev.weft.auth.Caller.workspaceOf(ctx));
        Map<String, List<String>> hooks = usage.webhooks(dev.weft.auth.Caller.workspaceOf(ctx));
        for (CredentialInfo info : credentials.in(dev.weft.auth.Caller.workspaceOf(ctx)).list()) {
            list.add(infoJson(info, uses.getOrDefault(info.name(), List.of()), servers.getOrDefault(info.name(), List.of()),
                    hooks.getOrDefault(info.name(), List.of())));
        }
        ctx.json(json);
    }

    /**
     * 409 naming the flows and versions while a published version names it, the MCP servers whose headers send it,
     * or the live webhooks whose signature check uses it; a draft naming it does not stop it.
     */
    private void delete(Context ctx) {
        String name = find(ctx).name();
        List<String> published = new ArrayList<>();
        for (CredentialUsage.Use use : usage.of(dev.weft.auth.Caller.workspaceOf(ctx), name)) {
            if (use.versions().isEmpty()) continue;
            published.add("flow " + use.flowId() + " '" + use.flowName() + "' (version"
                    + (use.versions().size() == 1 ? " " : "s ") + use.versions().toString().replaceAll("[\\[\\]]", "") + ")");
        }
        List<String> servers = usage.mcpServers(dev.weft.auth.Caller.workspaceOf(ctx)).getOrDefault(name, List.of());
        List<String> hooks = usage.webhooks(dev.weft.auth.Caller.workspaceOf(ctx)).getOrDefault(name, List.of());
        List<String> reasons = new ArrayList<>();
        if (!published.isEmpty()) {
            reasons.add("is used by published versions of " + String.join(", ", published) + "; a run may still use any"
                    + " of them, so delete those flows first");
        }
        if (!servers.isEmpty()) {
            reasons.add("is sent in the headers of MCP server" + (servers.size() == 1 ? " " : "s ")
                    + String.join(", ", servers) + ", so change those servers' headers first");
        }
        if (!hooks.isEmpty()) {
            reasons.add("checks the signatures of webhook" + (hooks.size() == 1 ? " " : "s ") + String.join(", ", hooks)
                    + ", so change or revoke those webhooks first");
        }
        if (!reasons.isEmpty()) {
            throw new ApiException(ApiException.Kind.CONFLICT, "name", "credential '" + name + "' "
                    + String.join("; it also ", reasons) + " (or rotate the credential to change its secret)");
        }
        if (!credentials.in(dev.weft.auth.Caller.workspaceOf(ctx)).delete(name)) throw notFound(name);
        ctx.status(204);
    }

    private CredentialInfo find(Context ctx) {
        String name = ctx.pathParam("name");
        return credentials.in(dev.weft.auth.Caller.workspaceOf(ctx)).info(name).orElseThrow(() -> notFound(name));
    }

    private static ApiException notFound(String name) {
        return new ApiException(ApiException.Kind.NOT_FOUND, "name", "no credential named '" + name + "'");
    }

    static ObjectNode infoJson(CredentialInfo info, List<CredentialUsage.Use> uses, List<String> mcpServers,
                               List<String> webhooks) {
        ObjectNode json = Json.object();
        json.put("name", info.name());
        json.put("type", info.type().id());
        if (info.description() == null) json.putNull("description");
        else json.put("description", info.description());
        ArrayNode hosts = json.putArray("hosts");
        info.hosts().forEach(hosts::add);
        TaskJson.time(json, "created_at", info.createdAt());
        if (info.rotatedAt() == null) json.putNull("rotated_at");
        else TaskJson.time(json, "rotated_at", info.rotatedAt());
        ArrayNode used = json.putArray("used_by");
        for (CredentialUsage.Use use : uses) {
            ObjectNode item = used.addObject();
            item.put("flow_id", use.flowId());
            item.put("flow_name", use.flowName());
            ArrayNode versions = item.putArray("versions");
            use.versions().forEach(versions::add);
            item.put("draft", use.draft());
        }
        ArrayNode servers = json.putArray("mcp_servers");
        mcpServers.forEach(servers::add);
        ArrayNode hooks = json.putArray("webhooks");
        webhooks.forEach(hooks::add);
        return json;
    }
}
