package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How an {@code if} node tests its condition: alone ({@code truthy}, {@code empty}, {@code not_empty}) or against
 * its {@code value} setting. Numbers compare by value ({@code 1} equals {@code 1.0}), and text that holds a number
 * compares as that number when the other side is a number, since rendered templates often turn numbers into text.
 */
enum Operator {
    TRUTHY("truthy", false),
    EQUALS("equals", true),
    NOT_EQUALS("not_equals", true),
    GT("gt", true),
    GTE("gte", true),
    LT("lt", true),
    LTE("lte", true),
    CONTAINS("contains", true),
    EMPTY("empty", false),
    NOT_EMPTY("not_empty", false);

    /** The error type of a condition that cannot be tested: {@code gt} between an object and a number. */
    static final String ERROR = "condition_error";

    private final String id;
    private final boolean binary;

    Operator(String id, boolean binary) {
        this.id = id;
        this.binary = binary;
    }

    String id() {
        return id;
    }

    /** True when the operator needs a {@code value} to test the condition against. */
    boolean binary() {
        return binary;
    }

    static Optional<Operator> named(String id) {
        return Arrays.stream(values()).filter(o -> o.id.equals(id)).findFirst();
    }

    static String names() {
        return Arrays.stream(values()).map(Operator::id).collect(Collectors.joining(", "));
    }

    /** Tests {@code condition} (null when absent); {@code value} is the operand of binary operators. */
    boolean test(JsonNode condition, JsonNode value) {
        return switch (this) {
            case TRUTHY -> truthy(condition);
            case EQUALS -> same(condition, value);
            case NOT_EQUALS -> !same(condition, value);
            case GT -> compare(condition, value) > 0;
            case GTE -> compare(condition, value) >= 0;
            case LT -> compare(condition, value) < 0;
            case LTE -> compare(condition, value) <= 0;
            case CONTAINS -> contains(condition, value);
            case EMPTY -> empty(condition);
            case NOT_EMPTY -> !empty(condition);
        };
    }

    /** False for false, null, absent, 0, "", "false" (any case), [] and {}; true for everything else. */
    static boolean truthy(JsonNode value) {
        if (Settings.absent(value)) return false;
        if (value.isBoolean()) return value.booleanValue();
        if (value.isNumber()) return value.decimalValue().signum() != 0;
        if (value.isTextual()) return !value.asText().isEmpty() && !value.asText().equalsIgnoreCase("false");
        if (value.isContainerNode()) return value.size() > 0;
        return true;
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (Settings.absent(a) || Settings.absent(b)) return Settings.absent(a) && Settings.absent(b);
        BigDecimal[] numbers = numbers(a, b);
        if (numbers != null) return numbers[0].compareTo(numbers[1]) == 0;
        return a.equals(b);
    }

    private int compare(JsonNode a, JsonNode b) {
        BigDecimal[] numbers = numbers(a, b);
        if (numbers != null) return numbers[0].compareTo(numbers[1]);
        if (a != null && b != null && a.isTextual() && b.isTextual()) return a.asText().compareTo(b.asText());
        throw new NodeException(ERROR, "operator " + id + " compares two numbers or two texts; got "
                + Settings.describe(a) + " and " + Settings.describe(b), false);
    }

    private boolean contains(JsonNode container, JsonNode item) {
        if (Settings.absent(container)) return false;
        if (container.isTextual()) {
            String part = item == null ? "null" : item.isValueNode() ? item.asText() : Json.write(item);
            return container.asText().contains(part);
        }
        if (container.isArray()) {
            for (JsonNode element : container) {
                if (same(element, item)) return true;
            }
            return false;
        }
        if (container.isObject()) return item != null && item.isTextual() && container.has(item.asText());
        throw new NodeException(ERROR, "operator contains looks into text, an array or an object; got "
                + Settings.describe(container), false);
    }

    private static boolean empty(JsonNode value) {
        if (Settings.absent(value)) return true;
        if (value.isTextual()) return value.asText().isEmpty();
        return value.isContainerNode() && value.size() == 0;
    }

    /** Both sides as numbers when both are numbers, or one is a number and the other text holding one; else null. */
    private static BigDecimal[] numbers(JsonNode a, JsonNode b) {
        if (a == null || b == null || !(a.isNumber() || b.isNumber())) return null;
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        return x == null || y == null ? null : new BigDecimal[] {x, y};
    }

    private static BigDecimal number(JsonNode value) {
        if (value.isNumber()) return value.decimalValue();
        if (!value.isTextual()) return null;
        try {
            return new BigDecimal(value.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
