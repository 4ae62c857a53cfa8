package dev.weft.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Problems;
import dev.weft.node.Run;
import java.util.List;

/**
 * The {@code end} node: declares the flow's output fields ({@code settings.outputs}); its step's data, one value
 * per declared field (null when no branch supplied it), is usually the task's result.
 */
public final class EndNode implements NodeType {

    @Override
    public String id() {
        return FlowNode.END;
    }

    @Override
    public Run run() {
        return Run.pure(this::run);
    }

    @Override
    public void check(ObjectNode settings, Problems problems) {
        InputField.readAll(settings.path("outputs"), problems.at("outputs"));
    }

    public static List<String> outputNames(ObjectNode settings) {
        return InputField.readAll(settings.path("outputs"), new Problems()).stream().map(InputField::name).toList();
    }

    NodeOutput run(NodeCall call) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        for (String name : outputNames(call.settings())) {
            JsonNode value = call.inputs().get(name);
            result.set(name, value == null ? JsonNodeFactory.instance.nullNode() : value);
        }
        return NodeOutput.success(result);
    }
}
