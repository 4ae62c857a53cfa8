package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.Catalogue;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Problems;
import dev.weft.node.Run;
import dev.weft.node.Shape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code switch} node: n-way routing. Each case names a port and a test ({@code operator} and {@code value},
 * as in {@code if}) of the switch's {@code condition} or of a {@code condition} of its own; the inputs go out
 * through the first matching case's port, or {@code default}, with {@code case} set to that port.
 */
public final class SwitchNode implements NodeType {

    public static final String TYPE = "switch";
    public static final String DEFAULT = "default";
    static final String PORT_NAME = "[A-Za-z0-9_-]{1,64}";
    private static final Set<String> RESERVED = Set.of(DEFAULT, ERROR);

    @Override
    public String id() {
        return TYPE;
    }

    @Override
    public Run run() {
        return Run.pure(this::run);
    }

    /** Without settings only {@code default} is known (the catalogue's port); each case adds its port. */
    @Override
    public Shape shape(ObjectNode settings, Catalogue catalogue) {
        return catalogue.shape().withPorts(ports(settings));
    }

    static List<String> ports(ObjectNode settings) {
        List<String> ports = new ArrayList<>();
        for (JsonNode c : settings.path("cases")) {
            String port = c.path("port").asText("");
            if (port.matches(PORT_NAME) && !RESERVED.contains(port) && !ports.contains(port)) ports.add(port);
        }
        ports.add(DEFAULT);
        return ports;
    }

    @Override
    public void check(ObjectNode settings, Problems problems) {
        check(settings, problems, true);
    }

    private static void check(ObjectNode settings, Problems problems, boolean unrendered) {
        JsonNode cases = settings.path("cases");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            Problems at = problems.at("cases[" + i + "]");
            JsonNode port = c.get("port");
            if (port != null && port.isTextual()) {
                if (!port.asText().matches(PORT_NAME)) {
                    at.add("port", "must be 1 to 64 letters, digits, '_' or '-' (got \"" + port.asText() + "\")");
                } else if (RESERVED.contains(port.asText())) {
                    at.add("port", "'" + port.asText() + "' is reserved; name the case otherwise");
                } else if (!seen.add(port.asText())) {
                    at.add("port", "another case already sends to port '" + port.asText() + "'");
                }
            }
            JsonNode operator = c.get("operator");
            boolean binary = Settings.absent(operator) || Operator.named(operator.asText()).map(Operator::binary).orElse(false);
            if (binary && !c.has("value") && !Settings.deferred(operator, unrendered)) {
                at.add("value", "is required by operator " + (Settings.absent(operator) ? "equals" : operator.asText()));
            }
        }
    }

    public NodeOutput run(NodeCall call) {
        ObjectNode settings = call.settings();
        Problems problems = new Problems();
        check(settings, problems, false);
        Settings.throwIfAny(problems);
        JsonNode subject = call.inputs().has(IfNode.CONDITION) ? call.inputs().get(IfNode.CONDITION)
                : settings.get(IfNode.CONDITION);
        String port = DEFAULT;
        for (JsonNode c : settings.get("cases")) {
            JsonNode operator = c.get("operator");
            Operator test = Settings.absent(operator) ? Operator.EQUALS : Operator.named(operator.asText()).orElseThrow();
            if (test.test(c.has(IfNode.CONDITION) ? c.get(IfNode.CONDITION) : subject, c.get("value"))) {
                port = c.get("port").asText();
                break;
            }
        }
        ObjectNode data = call.inputs().deepCopy();
        data.put("case", port);
        return new NodeOutput(port, data);
    }
}
