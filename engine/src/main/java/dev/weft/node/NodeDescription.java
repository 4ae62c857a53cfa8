package dev.weft.node;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * How a node type presents itself in the catalogue ({@code GET /api/v1/node-types}), from which the UI builds
 * its palette and settings forms.
 *
 * @param title          a short human name ("LLM", "HTTP request")
 * @param category       a palette group: {@code flow}, {@code ai}, {@code data}, {@code logic}, {@code integration}
 * @param description    one or two sentences saying what the node does
 * @param settingsSchema a JSON Schema (draft 2020-12) of the node's {@code settings} object
 * @param inputs         the input fields the node reads, when it reads named ones; empty: any mapped field
 * @param outputs        the fields its default port emits with default settings; empty: they depend on the settings
 *                       or pass the inputs through
 */
public record NodeDescription(String title, String category, String description, ObjectNode settingsSchema,
                              List<String> inputs, List<String> outputs) {

    public NodeDescription {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** What a node type that says nothing about itself shows: its id as title, and any settings object. */
    public static NodeDescription minimal(String type) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
        return new NodeDescription(type, "other", "", schema, List.of(), List.of());
    }
}
