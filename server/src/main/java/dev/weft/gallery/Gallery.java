package dev.weft.gallery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The templates shipped in the jar: {@code /templates/catalogue.json} lists each one (id, file, name, description,
 * tags, needs) and its document is the file beside it. Read once, at start; a broken catalogue stops the start.
 */
public final class Gallery {

    static final String FOLDER = "/templates/";

    private final Map<String, FlowTemplate> templates;

    private Gallery(Map<String, FlowTemplate> templates) {
        this.templates = templates;
    }

    /** Reads the catalogue from the classpath. */
    public static Gallery load() {
        JsonNode catalogue = read("catalogue.json");
        Map<String, FlowTemplate> templates = new LinkedHashMap<>();
        for (JsonNode entry : catalogue.path("templates")) {
            String id = entry.path("id").asText();
            List<String> tags = new ArrayList<>();
            entry.path("tags").forEach(tag -> tags.add(tag.asText()));
            ObjectNode needs = Json.object();
            for (String kind : FlowTemplate.NEEDS) {
                needs.set(kind, entry.path("needs").path(kind).isArray() ? entry.path("needs").get(kind).deepCopy()
                        : needs.arrayNode());
            }
            JsonNode document = read(entry.path("file").asText());
            if (!(document instanceof ObjectNode object)) throw new IllegalStateException("template " + id + " is not an object");
            FlowTemplate template = new FlowTemplate(id, entry.path("name").asText(), entry.path("description").asText(), tags,
                    needs, object);
            if (templates.put(id, template) != null) throw new IllegalStateException("two templates have the id " + id);
        }
        for (FlowTemplate template : templates.values()) {
            for (String companion : template.companions()) {
                if (!templates.containsKey(companion)) {
                    throw new IllegalStateException("template " + template.id() + " needs template " + companion
                            + ", which the catalogue lacks");
                }
            }
        }
        return new Gallery(templates);
    }

    public List<FlowTemplate> list() {
        return List.copyOf(templates.values());
    }

    public Optional<FlowTemplate> find(String id) {
        return Optional.ofNullable(templates.get(id));
    }

    /** The templates' ids, in the catalogue's order. */
    public List<String> ids() {
        return List.copyOf(templates.keySet());
    }

    private static JsonNode read(String file) {
        try (InputStream in = Gallery.class.getResourceAsStream(FOLDER + file)) {
            if (in == null) throw new IllegalStateException("the jar has no template file " + FOLDER + file);
            return Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
