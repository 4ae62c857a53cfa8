package dev.weft.flow;

import dev.weft.node.Problems;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One typed field of a start node's inputs (or an end node's outputs), read from a JSON-Schema-like map:
 * {@code {"name": {"type": "string", "format": "uri", "required": true, "default": ..., "title": ..., "x-order": 0}}}.
 */
public record InputField(String name, String type, String format, boolean required, JsonNode defaultValue,
                         String title, int order) {

    public static final Set<String> TYPES = Set.of("string", "number", "integer", "boolean", "object", "array");

    /** Reads the fields of a schema map in their declared order ({@code x-order}, then document order). */
    public static List<InputField> readAll(JsonNode schema, Problems problems) {
        List<InputField> fields = new ArrayList<>();
        if (schema.isMissingNode() || schema.isNull()) return fields;
        if (!schema.isObject()) {
            problems.add("", "must be an object mapping field names to {type, ...}");
            return fields;
        }
        int position = 0;
        for (Map.Entry<String, JsonNode> entry : FlowDocument.fields(schema)) {
            fields.add(read(entry.getKey(), entry.getValue(), position++, problems.at(entry.getKey())));
        }
        fields.sort(Comparator.comparingInt(InputField::order));
        return fields;
    }

    private static InputField read(String name, JsonNode spec, int position, Problems problems) {
        if (!spec.isObject()) {
            problems.add("", "must be an object such as {\"type\": \"string\"}");
            return new InputField(name, "string", null, false, null, name, position);
        }
        checkKeywords(spec, problems);
        String type = spec.path("type").isTextual() ? spec.path("type").asText() : "string";
        if (spec.path("type").isTextual() && !TYPES.contains(type)) {
            problems.add("type", "must be one of string, number, integer, boolean, object, array (got '" + type + "')");
        }
        String format = spec.path("format").isTextual() ? spec.path("format").asText() : null;
        if (format != null && !format.equals("uri") && !format.isEmpty()) {
            problems.add("format", "only \"uri\" is supported (got '" + format + "')");
        }
        JsonNode order = spec.has("x-order") ? spec.get("x-order") : spec.path("order");
        JsonNode defaultValue = spec.get("default");
        InputField field = new InputField(name, type, format, spec.path("required").asBoolean(false),
                defaultValue == null || defaultValue.isNull() ? null : defaultValue,
                spec.path("title").asText(name), order.isNumber() ? order.asInt() : 1_000_000 + position);
        if (field.defaultValue != null) {
            String wrong = field.typeProblem(field.defaultValue);
            if (wrong != null) problems.add("default", wrong);
        }
        return field;
    }

    /**
     * The JSON type each keyword's value must have, checked at save so that {@code "required": "yes"} is refused
     * rather than read as false; each problem names the keyword.
     */
    private static void checkKeywords(JsonNode spec, Problems problems) {
        JsonNode type = given(spec, "type");
        if (type != null && !type.isTextual()) {
            problems.add("type", "must be one of string, number, integer, boolean, object, array (got "
                    + describe(type) + ")");
        }
        JsonNode required = given(spec, "required");
        if (required != null && !required.isBoolean()) {
            problems.add("required", "must be true or false (got " + describe(required) + ")");
        }
        for (String text : List.of("format", "title", "description")) {
            JsonNode value = given(spec, text);
            if (value != null && !value.isTextual()) problems.add(text, "must be a string (got " + describe(value) + ")");
        }
        for (String position : List.of("x-order", "order")) {
            JsonNode value = given(spec, position);
            if (value != null && !(value.isIntegralNumber() && value.canConvertToInt())) {
                problems.add(position, "must be an integer (got " + describe(value) + ")");
            }
        }
    }

    /** A keyword's value, or null when it is absent or null (a null keyword, as Scade exports write, is unset). */
    private static JsonNode given(JsonNode spec, String keyword) {
        JsonNode value = spec.get(keyword);
        return value == null || value.isNull() ? null : value;
    }

    /** Why {@code value} does not fit this field's type, or null when it does. A null value always fits. */
    public String typeProblem(JsonNode value) {
        if (value == null || value.isNull()) return null;
        boolean fits = switch (type) {
            case "string" -> value.isTextual();
            case "number" -> value.isNumber();
            case "integer" -> value.isIntegralNumber()
                    || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble()));
            case "boolean" -> value.isBoolean();
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            default -> true;
        };
        if (!fits) return "must be " + article(type) + " (got " + describe(value) + ")";
        if ("uri".equals(format) && value.isTextual() && !isAbsoluteUri(value.asText())) {
            return "must be an absolute URI such as https://example.com/file.png";
        }
        return null;
    }

    private static boolean isAbsoluteUri(String text) {
        try {
            URI uri = new URI(text);
            return uri.isAbsolute() && uri.getScheme() != null;
        } catch (Exception e) {
            return false;
        }
    }

    private static String article(String type) {
        return switch (type) {
            case "integer", "object", "array" -> "an " + type;
            default -> "a " + type;
        };
    }

    static String describe(JsonNode value) {
        if (value.isTextual()) return "a string";
        if (value.isIntegralNumber()) return "an integer";
        if (value.isNumber()) return "a number";
        if (value.isBoolean()) return "a boolean";
        if (value.isArray()) return "an array";
        if (value.isObject()) return "an object";
        return value.getNodeType().name().toLowerCase();
    }
}
