package dev.weft.nodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.Problems;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeDescription;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;

/**
 * The {@code merge} node: joins branches. {@code wait: all} runs when every mapped input field arrived;
 * {@code wait: first} when at least one did (the planner still lets every upstream branch finish or be skipped
 * first, so a slow branch is waited for, not cut short). {@code combine: object} emits the fields that arrived;
 * {@code combine: list} emits {@code items}, their values in the order of the incoming edges.
 */
public final class MergeNode implements NodeType {

    public static final String TYPE = "merge";
    private static final NodeCatalogue CATALOGUE = NodeCatalogue.load(TYPE);

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public NodeDescription describe() {
        return CATALOGUE.description();
    }

    @Override
    public boolean pure() {
        return true;
    }

    @Override
    public boolean needsEveryInput(ObjectNode settings) {
        return !"first".equals(settings.path("wait").asText("all"));
    }

    @Override
    public void validate(ObjectNode settings, Problems problems) {
        CATALOGUE.schema().check(settings, problems, true);
    }

    @Override
    public NodeOutput run(NodeCall call) {
        Problems problems = new Problems();
        CATALOGUE.schema().check(call.settings(), problems, false);
        Settings.throwIfAny(problems);
        if (!"list".equals(call.settings().path("combine").asText("object"))) {
            return NodeOutput.success(call.inputs().deepCopy());
        }
        ObjectNode data = Json.object();
        com.fasterxml.jackson.databind.node.ArrayNode items = data.putArray("items");
        call.inputs().deepCopy().fields().forEachRemaining(field -> items.add(field.getValue()));
        return NodeOutput.success(data);
    }
}
