package dev.weft.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.Catalogue;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Run;
import dev.weft.node.Shape;

/**
 * The {@code merge} node: joins branches. {@code wait: all} runs when every mapped input field arrived;
 * {@code wait: first} when at least one did (the planner still lets every upstream branch finish or be skipped
 * first, so a slow branch is waited for, not cut short). {@code combine: object} emits the fields that arrived;
 * {@code combine: list} emits {@code items}, their values in the order of the incoming edges.
 */
public final class MergeNode implements NodeType {

    public static final String TYPE = "merge";

    @Override
    public String id() {
        return TYPE;
    }

    @Override
    public Run run() {
        return Run.pure(this::run);
    }

    /** Set to wait for the first branch, a merge runs when any input arrived. */
    @Override
    public Shape shape(ObjectNode settings, Catalogue catalogue) {
        return catalogue.shape().withNeedsEveryInput(!"first".equals(settings.path("wait").asText("all")));
    }

    public NodeOutput run(NodeCall call) {
        if (!"list".equals(call.settings().path("combine").asText("object"))) {
            return NodeOutput.success(call.inputs().deepCopy());
        }
        ObjectNode data = Json.object();
        com.fasterxml.jackson.databind.node.ArrayNode items = data.putArray("items");
        call.inputs().deepCopy().fields().forEachRemaining(field -> items.add(field.getValue()));
        return NodeOutput.success(data);
    }
}
