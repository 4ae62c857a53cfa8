package dev.weft.builtin;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Converts between Jackson trees and the plain maps, lists and boxed scalars that JSONata evaluates. The way back
 * is written out rather than left to Jackson, which would serialize a function in the result as a bean.
 */
final class JsonataValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonataValues() {}

    static Object toJava(JsonNode value) {
        return Json.MAPPER.convertValue(value, Object.class);
    }

    /** The result as JSON; undefined (null) becomes JSON null. Throws a transform error for a function. */
    static JsonNode toJson(Object value) {
        if (value == null || value == Jsonata.NULL_VALUE) return NODES.nullNode();
        if (value instanceof String s) return NODES.textNode(s);
        if (value instanceof Boolean b) return NODES.booleanNode(b);
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).intValue());
        }
        if (value instanceof Long l) return NODES.numberNode(l);
        if (value instanceof BigInteger i) return NODES.numberNode(i);
        if (value instanceof BigDecimal d) return NODES.numberNode(d);
        if (value instanceof Number n) return NODES.numberNode(n.doubleValue());
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((k, v) -> object.set(String.valueOf(k), toJson(v)));
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(item -> array.add(toJson(item)));
            return array;
        }
        throw new NodeException(TransformNode.ERROR, "the expression's result holds a function or another value that"
                + " is not JSON (" + value.getClass().getSimpleName() + ")", false);
    }
}
