package dev.weft.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeDescription;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalogue entry of a built-in node type, kept as JSON beside the classes ({@code catalogue/<type>.json}:
 * title, category, description, inputs, outputs and the settings schema), so that the UI's forms and the
 * settings checks read one description.
 */
record NodeCatalogue(NodeDescription description, SettingsSchema schema) {

    /** Loads and compiles the entry of {@code type}; a missing or broken entry is a bug in this module. */
    static NodeCatalogue load(String type) {
        String resource = "catalogue/" + type + ".json";
        JsonNode entry;
        try (InputStream in = NodeCatalogue.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("no catalogue entry " + resource + " for node type " + type);
            entry = Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read catalogue entry " + resource, e);
        }
        ObjectNode settings = (ObjectNode) entry.get("settings");
        NodeDescription description = new NodeDescription(entry.path("title").asText(type),
                entry.path("category").asText("other"), entry.path("description").asText(""), settings,
                texts(entry.path("inputs")), texts(entry.path("outputs")));
        return new NodeCatalogue(description, new SettingsSchema(settings));
    }

    /** The description, with a copy of the schema: callers may change what they get. */
    @Override
    public NodeDescription description() {
        return new NodeDescription(description.title(), description.category(), description.description(),
                description.settingsSchema().deepCopy(), description.inputs(), description.outputs());
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        for (JsonNode item : array) texts.add(item.asText());
        return texts;
    }
}
