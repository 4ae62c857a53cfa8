package dev.weft.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;

/** Flow documents of start -> one code node ({@code calc}) -> end, for the API tests of code nodes. */
final class CodeFlows {

    private CodeFlows() {}

    /**
     * A flow whose code node gets the start's {@code name} and whose end emits the code's {@code out} as
     * {@code result}; {@code overridable} is set on the code node unless null.
     */
    static String flow(String code, Object overridable) {
        ObjectNode flow = Json.object().put("name", "code");
        ArrayNode nodes = flow.putArray("nodes");
        ObjectNode start = nodes.addObject().put("id", "start").put("type", "start");
        start.putObject("settings").putObject("inputs").putObject("name").put("type", "string");
        ObjectNode calc = nodes.addObject().put("id", "calc").put("type", "code");
        calc.putObject("settings").put("code", code);
        if (overridable != null) calc.set("overridable", Json.MAPPER.valueToTree(overridable));
        ObjectNode end = nodes.addObject().put("id", "end").put("type", "end");
        end.putObject("settings").putObject("outputs").putObject("result").put("type", "string");
        ArrayNode edges = flow.putArray("edges");
        edge(edges, "start", "calc", "name", "name");
        edge(edges, "calc", "end", "out", "result");
        return Json.write(flow);
    }

    private static void edge(ArrayNode edges, String from, String to, String fromField, String toField) {
        ObjectNode edge = edges.addObject().put("from_node", from).put("to_node", to);
        edge.putArray("fields_mapping").addObject().put("from_field", fromField).put("to_field", toField);
    }
}
