package dev.weft.manage;

import dev.weft.http.ApiException;
import dev.weft.http.Bodies;
import dev.weft.http.TaskJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.store.JdbcCredentialStore;
import dev.weft.store.JdbcCredentialStore.CredentialInfo;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The management API for stored credentials (admin token): create, list, read, delete. A secret goes in once, at
 * creation, and no answer ever contains it; nodes name a credential in their settings and get its secret only
 * when they run, and only for the credential's {@code hosts} when it names some.
 */
public final class CredentialsApi {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    static final int SECRET_MAX_CHARS = 16 * 1024;
    static final int DESCRIPTION_MAX_CHARS = 500;
    static final int HOSTS_MAX = 20;
    /** A host name, an IP address, or {@code *.} and a domain. */
    static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9.-]{0,252}[a-z0-9])?|\\[[0-9a-f:.]+\\]");

    private final JdbcCredentialStore credentials;

    public CredentialsApi(JdbcCredentialStore credentials) {
        this.credentials = credentials;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/credentials", this::create);
        routes.get("/api/v1/credentials", this::list);
        routes.get("/api/v1/credentials/{name}", ctx -> ctx.json(infoJson(find(ctx))));
        routes.delete("/api/v1/credentials/{name}", this::delete);
    }

    private void create(Context ctx) {
        ObjectNode body = Bodies.object(ctx, false);
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || !NAME.matcher(name.asText()).matches()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "name", "is required: 1 to 100 letters, digits,"
                    + " '_', '.' or '-', starting with a letter or digit");
        }
        JsonNode secret = body.get("secret");
        if (secret == null || !secret.isTextual() || secret.asText().isEmpty() || secret.asText().length() > SECRET_MAX_CHARS) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "secret",
                    "is required: a non-empty string of at most " + SECRET_MAX_CHARS + " characters");
        }
        JsonNode description = body.get("description");
        if (description != null && !description.isNull()
                && (!description.isTextual() || description.asText().length() > DESCRIPTION_MAX_CHARS)) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "description",
                    "must be a string of at most " + DESCRIPTION_MAX_CHARS + " characters");
        }
        CredentialInfo created = credentials.create(name.asText(),
                description == null || description.isNull() ? null : description.asText(), secret.asText(),
                hosts(body.get("hosts")))
                .orElseThrow(() -> new ApiException(ApiException.Kind.CONFLICT, "name", "a credential named '"
                        + name.asText() + "' exists; delete it first to replace its secret"));
        ctx.status(201).header("Location", "/api/v1/credentials/" + created.name()).json(infoJson(created));
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
        for (CredentialInfo info : credentials.list()) list.add(infoJson(info));
        ctx.json(json);
    }

    private void delete(Context ctx) {
        String name = ctx.pathParam("name");
        if (!credentials.delete(name)) throw notFound(name);
        ctx.status(204);
    }

    private CredentialInfo find(Context ctx) {
        String name = ctx.pathParam("name");
        return credentials.info(name).orElseThrow(() -> notFound(name));
    }

    private static ApiException notFound(String name) {
        return new ApiException(ApiException.Kind.NOT_FOUND, "name", "no credential named '" + name + "'");
    }

    static ObjectNode infoJson(CredentialInfo info) {
        ObjectNode json = Json.object();
        json.put("name", info.name());
        if (info.description() == null) json.putNull("description");
        else json.put("description", info.description());
        ArrayNode hosts = json.putArray("hosts");
        info.hosts().forEach(hosts::add);
        TaskJson.time(json, "created_at", info.createdAt());
        return json;
    }
}
