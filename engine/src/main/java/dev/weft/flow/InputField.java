package dev.weft.flow;

import dev.weft.node.Problems;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.weft.json.Json;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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

    /** A number as JSON writes it: what a form or a script sends as text for a number or an integer. */
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    /**
     * The value a run gives this field, with the unambiguous text forms that forms and scripts send read as the
     * field's type: {@code "5"}, {@code "-2.5"}, {@code "1e3"} for a number (JSON's number syntax, finite),
     * the same for an integer when the number is whole (each read as the JSON
     * parser reads the number), {@code "true"} / {@code "false"} (any case, as Python's
     * {@code str(True)} writes it) for a boolean. Anything else is returned as it is, for {@link #typeProblem} to
     * name.
     */
    public JsonNode coerce(JsonNode value) {
        if (value == null || !value.isTextual()) return value;
        String text = value.asText();
        switch (type) {
            case "number", "integer" -> {
                if (!NUMBER.matcher(text).matches()) return value;
                JsonNode number = Json.read(text);   // the node the JSON parser makes of the same number
                return Double.isFinite(number.asDouble()) ? number : value;
            }
            case "boolean" -> {
                if (text.equalsIgnoreCase("true")) return BooleanNode.TRUE;
                if (text.equalsIgnoreCase("false")) return BooleanNode.FALSE;
                return value;
            }
            default -> {
                return value;
            }
        }
    }

    /** Whether {@code value} counts as not given: null, or an empty string for a required string field. */
    public boolean absent(JsonNode value) {
        return value == null || value.isNull() || (required && "string".equals(type) && value.isTextual()
                && value.asText().isEmpty());
    }

    /**
     * Why a run's {@code value} does not fit this field once {@linkplain #coerce coerced}, or null when it does; a
     * string that is not one of the text forms is named, so a form's author sees what was sent.
     */
    public String runProblem(JsonNode value) {
        JsonNode coerced = coerce(value);
        String wrong = typeProblem(coerced);
        if (wrong != null && coerced.isTextual() && Set.of("number", "integer", "boolean").contains(type)) {
            return "must be " + article(type) + ("boolean".equals(type) ? ", or the string \"true\" or \"false\""
                    : ", or a string holding one such as \"5\"") + " (got the string '" + clip(coerced.asText()) + "')";
        }
        return wrong;
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

    private static String clip(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
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
