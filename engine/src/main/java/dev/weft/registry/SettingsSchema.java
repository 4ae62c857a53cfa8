package dev.weft.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.NodePath;
import dev.weft.node.Problems;
import dev.weft.template.Template;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's settings schema (JSON Schema draft 2020-12), compiled once, that reports what is wrong in the flow
 * validator's words and paths ({@code stop[1]: must be text (got a number)}).
 *
 * <p>Before rendering, a string holding a {@code {{ }}} placeholder stands for a value not known yet (a number, a
 * list): problems about such a value are left for the check of the rendered settings.
 */
public final class SettingsSchema {

    /**
     * Draft 2020-12, where keywords it does not know (the UI's {@code x-widget}, a user's {@code errorMessage}) are
     * annotations, as the specification says, rather than a warning logged for each schema.
     */
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            Dialect.builder(Dialects.getDraft202012()).unknownKeywordFactory((name, context) -> new AnnotationKeyword(name))
                    .build());

    /** The draft 2020-12 meta-schema, shipped inside the library (no network). */
    private static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";

    private final Schema schema;

    /** Compiles {@code schema}; throws when it is not a usable schema. */
    public SettingsSchema(JsonNode schema) {
        this.schema = REGISTRY.getSchema(schema);
    }

    /** Problems of a schema given by a user (the llm node's json_schema), checked against the meta-schema. */
    public static void checkSchema(JsonNode schema, Problems problems) {
        Problems found = new Problems();
        new SettingsSchema(REGISTRY.getSchema(SchemaLocation.of(META_SCHEMA))).check(schema, found);
        found.list().forEach(p -> problems.add(p.field(), p.message()));
        if (!found.isEmpty()) return;
        try {
            new SettingsSchema(schema);
        } catch (RuntimeException e) {
            problems.add("", "is not a usable JSON Schema: " + e.getMessage());
        }
    }

    private SettingsSchema(Schema schema) {
        this.schema = schema;
    }

    /** Adds a problem for each way {@code value} breaks the schema; paths are relative to the value. */
    public void check(JsonNode value, Problems problems) {
        check(value, problems, false);
    }

    /** Adds a problem for each way {@code settings} breaks the schema. */
    public void check(JsonNode settings, Problems problems, boolean unrendered) {
        List<String> deferred = new ArrayList<>();
        List<Error> errors = schema.validate(settings);
        // oneOf reports itself and each branch's error; anyOf only the branches': keep one message per place.
        List<String> alternatives = new ArrayList<>();
        for (Error error : errors) {
            if (!nestedInAlternative(error) && List.of("oneOf", "anyOf").contains(error.getKeyword())) {
                alternatives.add(path(error.getInstanceLocation()));
            }
        }
        java.util.Set<String> branchReported = new java.util.HashSet<>();
        for (Error error : errors) {
            String path = path(error.getInstanceLocation());
            if (under(path, deferred)) continue;
            if (nestedInAlternative(error) && (under(path, alternatives) || !branchReported.add(path))) continue;
            JsonNode value = error.getInstanceNode();
            if (deferred(value, unrendered) && !"required".equals(error.getKeyword())) {
                deferred.add(path);
                continue;
            }
            switch (error.getKeyword()) {
                case "required" -> problems.add(join(path, error.getProperty()), "is required");
                case "type" -> problems.add(path, "must be " + types(error.getSchemaNode()) + " (got "
                        + describe(value) + ")");
                case "enum" -> problems.add(path, "must be one of " + values(error.getSchemaNode()) + " (got " + value + ")");
                case "const" -> problems.add(path, "must be " + error.getSchemaNode() + " (got " + value + ")");
                case "oneOf", "anyOf" -> problems.add(path, "must be " + alternatives(error.getSchemaNode()) + " (got "
                        + describe(value) + ")");
                case "minimum" -> problems.add(path, "must be at least " + error.getSchemaNode() + " (got " + value + ")");
                case "maximum" -> problems.add(path, "must be at most " + error.getSchemaNode() + " (got " + value + ")");
                case "exclusiveMinimum" -> problems.add(path, "must be more than " + error.getSchemaNode() + " (got " + value + ")");
                case "exclusiveMaximum" -> problems.add(path, "must be less than " + error.getSchemaNode() + " (got " + value + ")");
                default -> problems.add(path, error.getMessage());
            }
        }
    }

    /**
     * True when the value's format cannot be checked yet: a string with a placeholder, seen before rendering.
     * After rendering nothing is exempt, so text that merely contains "{{" is checked like any other.
     */
    public static boolean deferred(JsonNode value, boolean unrendered) {
        return unrendered && value != null && value.isTextual() && Template.hasPlaceholders(value.asText());
    }

    /** A short description of a JSON value's kind, for messages. */
    public static String describe(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) return "null";
        if (value.isTextual()) return "text";
        if (value.isBoolean()) return "a boolean";
        if (value.isNumber()) return "a number";
        if (value.isArray()) return "an array";
        return "an object";
    }

    /** An error inside one branch of oneOf/anyOf: the branch's own error at the same place says it better. */
    private static boolean nestedInAlternative(Error error) {
        String at = error.getEvaluationPath().toString();
        return at.contains("/oneOf/") || at.contains("/anyOf/");
    }

    private static boolean under(String path, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (path.equals(prefix) || path.startsWith(prefix + ".") || path.startsWith(prefix + "[")) return true;
        }
        return false;
    }

    /** A path in the flow validator's notation: {@code headers.Accept}, {@code stop[1]}. */
    static String path(NodePath location) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) path.append('[').append(index).append(']');
            else path.append(path.length() == 0 ? "" : ".").append(element);
        }
        return path.toString();
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String types(JsonNode type) {
        List<String> names = new ArrayList<>();
        for (JsonNode t : type.isArray() ? type : List.of(type)) names.add(word(t.asText()));
        return String.join(" or ", names);
    }

    private static String word(String type) {
        return switch (type) {
            case "string" -> "text";
            case "integer" -> "a whole number";
            case "number" -> "a number";
            case "boolean" -> "true or false";
            case "array" -> "a list";
            case "object" -> "an object";
            case "null" -> "null";
            default -> type;
        };
    }

    private static String values(JsonNode values) {
        List<String> names = new ArrayList<>();
        for (JsonNode v : values) names.add(v.isTextual() ? v.asText() : v.toString());
        return String.join(", ", names);
    }

    private static String alternatives(JsonNode branches) {
        List<String> names = new ArrayList<>();
        for (JsonNode branch : branches) {
            if (branch.has("type")) {
                String name = types(branch.get("type"));
                if (branch.path("items").has("type")) name += " of " + types(branch.path("items").get("type")).replaceFirst("^an? ", "");
                names.add(name);
            } else if (branch.has("const")) {
                names.add(branch.get("const").toString());
            } else if (branch.has("enum")) {
                names.add("one of " + values(branch.get("enum")));
            } else {
                names.add(branch.path("title").asText("another form"));
            }
        }
        return String.join(" or ", names);
    }
}
