package dev.weft.flow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Problems;
import dev.weft.node.Run;

/**
 * The {@code scade_placeholder} node: stands for a node of an imported Scade flow that Weft has no type for (or
 * whose type this Weft lacks), keeping its id, name, processor, settings and mapped fields so the flow comes over
 * whole and its edges stay valid. A draft with one saves; publishing it is refused naming each one
 * ({@link #problems}); a run that reaches one fails with {@link #ERROR_TYPE}.
 */
public final class ScadePlaceholderNode implements NodeType {

    public static final String TYPE = "scade_placeholder";
    /** The step error of a run that reaches a placeholder. */
    public static final String ERROR_TYPE = "needs_replacing";

    @Override
    public String id() {
        return TYPE;
    }

    @Override
    public Run run() {
        return Run.pure(this::run);
    }

    NodeOutput run(NodeCall call) {
        throw new NodeException(ERROR_TYPE, describe(call.nodeId(), call.settings())
                + " needs replacing: Weft has no node for it; replace it in the builder before running", false);
    }

    /**
     * Adds one problem per placeholder of {@code document} ("... needs replacing before {@code before}"): a flow
     * that has any may not be published or run.
     */
    public static void problems(JsonNode document, String before, Problems problems) {
        JsonNode nodes = document.path("nodes");
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode node = nodes.get(i);
            if (!TYPE.equals(node.path("type").asText())) continue;
            problems.add("nodes[" + i + "]", describe(node.path("id").asText(), node.path("settings"))
                    + " needs replacing before " + before);
        }
    }

    private static String describe(String nodeId, JsonNode settings) {
        return "node '" + nodeId + "' (Scade processor '" + settings.path("processor").asText("?") + "')";
    }
}
