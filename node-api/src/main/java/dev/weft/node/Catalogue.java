package dev.weft.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a node type presents itself in the catalogue ({@code GET /api/v1/node-types}), from which the UI builds its
 * palette and settings forms, and the static facts the engine needs. Kept as JSON beside the node's class:
 *
 * <pre>{@code
 * {"title": "Slugify", "category": "data", "description": "Turns a text into a URL slug.",
 *  "inputs": [], "outputs": ["slug"], "fixed_outputs": true,
 *  "settings": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}}
 * }</pre>
 *
 * <p>Optional keys: {@code ports} (default {@code ["success"]}), {@code fixed_outputs} (the default port emits
 * exactly {@code outputs}; default false), {@code needs_every_input} (default true), {@code locked} and
 * {@code raw} (lists of setting names, default empty), {@code output_types} (the JSON type of some of
 * {@code outputs}, e.g. {@code {"slug": "string"}}: the builder refuses to connect a field to one it cannot fit).
 *
 * @param title           a short human name ("LLM", "HTTP request")
 * @param category        a palette group: {@code flow}, {@code ai}, {@code data}, {@code logic}, {@code integration}
 * @param description     one or two sentences saying what the node does
 * @param settingsSchema  a JSON Schema (draft 2020-12) of the node's {@code settings} object; the registry checks
 *                        saved settings against it
 * @param inputs          the input fields the node reads, when it reads named ones; empty: any mapped field
 * @param outputs         the fields its default port emits with default settings; empty: they depend on the
 *                        settings or pass the inputs through
 * @param shape           ports, known output fields and the input rule of a node with default settings
 * @param lockedSettings  settings a run may not replace through {@code node_settings} unless the flow's author
 *                        opened them ({@code "overridable"}): the ones that run code or choose where data and
 *                        credentials go
 * @param rawSettings     settings passed to the run as saved, without rendering {@code {{ }}} references: for
 *                        settings in a language of their own, such as a JSONata expression
 * @param outputTypes     the JSON type ({@link #TYPES}) of those of {@code outputs} that always have one; a field
 *                        not named here may hold anything
 */
public record Catalogue(String title, String category, String description, ObjectNode settingsSchema,
                        List<String> inputs, List<String> outputs, Shape shape, Set<String> lockedSettings,
                        Set<String> rawSettings, Map<String, String> outputTypes) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The types an output field may declare: JSON's, with integer apart from number. */
    public static final Set<String> TYPES = Set.of("string", "number", "integer", "boolean", "object", "array");

    /**
     * Copies the lists and sets.
     *
     * @param title          a short human name
     * @param category       a palette group
     * @param description    what the node does
     * @param settingsSchema the settings' JSON Schema
     * @param inputs         the input fields read
     * @param outputs        the fields emitted
     * @param shape          the shape with default settings
     * @param lockedSettings settings a run may not replace
     * @param rawSettings    settings passed unrendered
     * @param outputTypes    the types of some outputs
     * @throws IllegalArgumentException when a type is not one of {@link #TYPES} or names a field not in outputs
     */
    public Catalogue {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        lockedSettings = Set.copyOf(lockedSettings);
        rawSettings = Set.copyOf(rawSettings);
        outputTypes = Collections.unmodifiableMap(new LinkedHashMap<>(outputTypes));
        for (Map.Entry<String, String> typed : outputTypes.entrySet()) {
            if (!outputs.contains(typed.getKey())) {
                throw new IllegalArgumentException("output_types names " + typed.getKey() + ", which is not an output");
            }
            if (!TYPES.contains(typed.getValue())) {
                throw new IllegalArgumentException("output_types." + typed.getKey() + " is " + typed.getValue()
                        + "; a type is one of " + new TreeSet<>(TYPES));
            }
        }
    }

    /**
     * An entry whose outputs have no declared types (the form before {@code outputTypes}).
     *
     * @param title          a short human name
     * @param category       a palette group
     * @param description    what the node does
     * @param settingsSchema the settings' JSON Schema
     * @param inputs         the input fields read
     * @param outputs        the fields emitted
     * @param shape          the shape with default settings
     * @param lockedSettings settings a run may not replace
     * @param rawSettings    settings passed unrendered
     */
    public Catalogue(String title, String category, String description, ObjectNode settingsSchema,
                     List<String> inputs, List<String> outputs, Shape shape, Set<String> lockedSettings,
                     Set<String> rawSettings) {
        this(title, category, description, settingsSchema, inputs, outputs, shape, lockedSettings, rawSettings,
                Map.of());
    }

    /**
     * The entry of a type that says nothing about itself: its id as title, any settings object, the
     * {@link NodeType#SUCCESS} port.
     *
     * @param id the node type's id
     * @return the entry
     */
    public static Catalogue minimal(String id) {
        return new Catalogue(id, "other", "", MAPPER.createObjectNode().put("type", "object"), List.of(), List.of(),
                new Shape(List.of(NodeType.SUCCESS), Optional.empty(), true), Set.of(), Set.of());
    }

    /**
     * Reads the entry of {@code id} from {@code catalogue/<id>.json} next to {@code type}, with its class loader.
     *
     * @param type the node type's class
     * @param id   the node type's id
     * @return the entry
     * @throws IllegalStateException when the resource is missing or is not a catalogue entry
     */
    public static Catalogue read(Class<?> type, String id) {
        String resource = "catalogue/" + id + ".json";
        try (InputStream in = type.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no catalogue entry " + resource + " beside " + type.getName());
            }
            return parse(MAPPER.readTree(in), id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read catalogue entry " + resource + " of " + type.getName(), e);
        }
    }

    /**
     * Reads an entry from its JSON.
     *
     * @param entry the entry's JSON object
     * @param id    the node type's id, the title when the entry has none
     * @return the entry
     * @throws IllegalStateException when {@code settings} is missing or not an object, or {@code output_types} is
     *                               not an object of known types of its outputs
     */
    public static Catalogue parse(JsonNode entry, String id) {
        JsonNode settings = entry.path("settings");
        if (!settings.isObject()) {
            throw new IllegalStateException("catalogue entry of " + id + ": settings must be a JSON Schema object");
        }
        List<String> outputs = texts(entry.path("outputs"));
        List<String> ports = entry.has("ports") ? texts(entry.get("ports")) : List.of(NodeType.SUCCESS);
        Shape shape = new Shape(ports, entry.path("fixed_outputs").asBoolean(false) ? Optional.of(outputs)
                : Optional.empty(), entry.path("needs_every_input").asBoolean(true));
        Map<String, String> outputTypes = new LinkedHashMap<>();
        JsonNode typed = entry.path("output_types");
        if (!typed.isMissingNode() && !typed.isObject()) {
            throw new IllegalStateException("catalogue entry of " + id + ": output_types must be an object");
        }
        typed.fields().forEachRemaining(field -> outputTypes.put(field.getKey(), field.getValue().asText()));
        try {
            return new Catalogue(entry.path("title").asText(id), entry.path("category").asText("other"),
                    entry.path("description").asText(""), (ObjectNode) settings, texts(entry.path("inputs")), outputs,
                    shape, new LinkedHashSet<>(texts(entry.path("locked"))),
                    new LinkedHashSet<>(texts(entry.path("raw"))), outputTypes);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("catalogue entry of " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * The entry, with a copy of the schema: callers may change what they get.
     *
     * @return a copy
     */
    public Catalogue copy() {
        return new Catalogue(title, category, description, settingsSchema.deepCopy(), inputs, outputs, shape,
                lockedSettings, rawSettings, outputTypes);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        for (JsonNode item : array) texts.add(item.asText());
        return texts;
    }
}
