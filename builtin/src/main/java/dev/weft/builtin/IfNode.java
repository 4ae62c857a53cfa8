package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Problems;
import dev.weft.node.Run;
import java.util.List;

/**
 * The {@code if} node: tests a condition and passes its inputs on through port {@code true} or {@code false},
 * plus {@code condition}, the boolean result. The condition is the input field {@code condition} when an edge maps
 * one (as in Scade), else the {@code condition} setting; {@code operator} and {@code value} say how it is tested.
 */
public final class IfNode implements NodeType {

    public static final String TYPE = "if";
    public static final String TRUE = "true";
    public static final String FALSE = "false";
    static final String CONDITION = "condition";

    @Override
    public String id() {
        return TYPE;
    }

    @Override
    public Run run() {
        return Run.pure(this::run);
    }

    @Override
    public void check(ObjectNode settings, Problems problems) {
        check(settings, problems, true);
    }

    private static void check(ObjectNode settings, Problems problems, boolean unrendered) {
        JsonNode operator = settings.get("operator");
        if (Settings.absent(operator) || Settings.deferred(operator, unrendered)) return;
        if (!operator.isTextual() || Operator.named(operator.asText()).isEmpty()) {
            problems.add("operator", "must be one of " + Operator.names() + " (got " + operator + ")");
        } else if (Operator.named(operator.asText()).get().binary() && !settings.has("value")) {
            problems.add("value", "is required by operator " + operator.asText() + " (the operand to test against)");
        }
    }

    public NodeOutput run(NodeCall call) {
        ObjectNode settings = call.settings();
        Problems problems = new Problems();
        check(settings, problems, false);
        Settings.throwIfAny(problems);
        JsonNode operator = settings.get("operator");
        Operator test = Settings.absent(operator) ? Operator.TRUTHY : Operator.named(operator.asText()).orElseThrow();
        JsonNode condition = call.inputs().has(CONDITION) ? call.inputs().get(CONDITION) : settings.get(CONDITION);
        boolean result = test.test(condition, settings.get("value"));
        ObjectNode data = call.inputs().deepCopy();
        data.put(CONDITION, result);
        return new NodeOutput(result ? TRUE : FALSE, data);
    }
}
