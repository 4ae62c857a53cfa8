package dev.weft.plugin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code GET /api/v1/plugins}: the plugin jars loaded, with their node types, and those skipped, with the reason.
 * Admin only, like the other management routes (the server's wiring puts the admin check in front).
 */
public final class PluginsApi {

    public static final String PATH = "/api/v1/plugins";

    private final Plugins plugins;

    public PluginsApi(Plugins plugins) {
        this.plugins = plugins;
    }

    public void register(RoutesConfig routes) {
        routes.get(PATH, this::list);
    }

    private void list(Context ctx) {
        ObjectNode json = Json.object();
        json.put("folder", plugins.folder().toString());
        ArrayNode loaded = json.putArray("plugins");
        for (Plugin plugin : plugins.loaded()) {
            ObjectNode item = loaded.addObject().put("jar", plugin.jar());
            plugin.nodeTypes().forEach(item.putArray("node_types")::add);
        }
        ArrayNode failures = json.putArray("failures");
        for (PluginFailure failure : plugins.failures()) {
            ObjectNode item = failures.addObject().put("jar", failure.jar());
            if (failure.nodeType() != null) item.put("node_type", failure.nodeType());
            item.put("error", failure.error());
        }
        ctx.json(json);
    }
}
