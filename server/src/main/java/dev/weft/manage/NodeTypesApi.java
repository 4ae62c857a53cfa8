package dev.weft.manage;

import dev.weft.http.ApiException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.auth.Callers;
import dev.weft.node.Catalogue;
import dev.weft.registry.NodeRegistry;
import dev.weft.registry.RegisteredType;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;

/**
 * The node catalogue: each node type this Weft knows, with its title, category, description, ports, fields and
 * settings schema, from which the UI builds its palette and forms. Readable with the admin token or a server key.
 */
public final class NodeTypesApi {

    private final NodeRegistry registry;
    private final Callers callers;

    public NodeTypesApi(NodeRegistry registry, Callers callers) {
        this.registry = registry;
        this.callers = callers;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/node-types", this::list);
        routes.get("/api/v1/node-types/{type}", this::one);
    }

    /** The category of node types that only Weft itself puts in a document (a test-run's pinned stand-ins). */
    static final String INTERNAL = "internal";

    private void list(Context ctx) {
        authenticate(ctx);
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("node_types");
        for (RegisteredType type : registry.all()) {
            // an internal type (a test-run's stand-in for a pinned node) is never offered for a flow
            if (!INTERNAL.equals(type.catalogue().category())) list.add(typeJson(type));
        }
        ctx.json(json);
    }

    private void one(Context ctx) {
        authenticate(ctx);
        String name = ctx.pathParam("type");
        RegisteredType type = registry.find(name).orElseThrow(() ->
                new ApiException(ApiException.Kind.NOT_FOUND, "type", "no node type '" + name + "'"));
        ctx.json(typeJson(type));
    }

    /** The admin token or any valid server key; 401 otherwise. */
    private void authenticate(Context ctx) {
        callers.require(ctx, Callers.Scope.CATALOGUE);
    }

    static ObjectNode typeJson(RegisteredType type) {
        Catalogue description = type.catalogue();
        ObjectNode json = Json.object();
        json.put("type", type.id());
        json.put("title", description.title());
        json.put("category", description.category());
        json.put("description", description.description());
        ArrayNode ports = json.putArray("ports");
        description.shape().ports().forEach(ports::add);
        ArrayNode inputs = json.putArray("inputs");
        description.inputs().forEach(inputs::add);
        ArrayNode outputs = json.putArray("outputs");
        description.outputs().forEach(outputs::add);
        ObjectNode outputTypes = json.putObject("output_types");
        description.outputTypes().forEach(outputTypes::put);
        json.put("every_input_needed", description.shape().needsEveryInput());
        ArrayNode locked = json.putArray("locked_settings");
        type.lockedSettings().stream().sorted().forEach(locked::add);
        json.set("settings_schema", description.settingsSchema());
        if (!RegisteredType.BUILTIN.equals(type.origin())) json.put("plugin", type.origin());
        return json;
    }
}
