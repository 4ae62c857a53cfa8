package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.FlowNode;

/**
 * Applies a run's {@code node_settings[id].data} to a node's saved settings: for a start node it overrides the
 * saved input values ({@code settings.data}); for any other node it overrides settings by name.
 */
public final class Overrides {

    private Overrides() {}

    /** A fresh copy of the node's settings with {@code override} ({@code {"data": {...}}}) applied. */
    public static ObjectNode apply(FlowNode node, JsonNode override) {
        ObjectNode settings = node.settings().deepCopy();
        JsonNode data = override == null ? null : override.get("data");
        if (data == null || !data.isObject()) return settings;
        if (node.isStart()) {
            JsonNode saved = settings.get("data");
            ObjectNode target = saved != null && saved.isObject() ? (ObjectNode) saved : settings.putObject("data");
            target.setAll((ObjectNode) data.deepCopy());
        } else {
            settings.setAll((ObjectNode) data.deepCopy());
        }
        return settings;
    }
}
