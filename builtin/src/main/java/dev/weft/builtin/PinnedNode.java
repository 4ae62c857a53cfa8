package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.node.Catalogue;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Run;
import dev.weft.node.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code pinned} node: stands in for a node whose output was pinned in a draft, in the snapshot a test-run
 * runs, and emits the pinned {@code outputs} on the pinned {@code port} without calling anything. Its shape is
 * the node's it replaces ({@code ports}, {@code fields}, {@code every_input_needed}, copied into its settings),
 * so the edges and references around it stay as they were. Never offered in the palette; settings are not rendered.
 */
public final class PinnedNode implements NodeType {

    public static final String TYPE = "pinned";

    @Override
    public String id() {
        return TYPE;
    }

    @Override
    public Run run() {
        return Run.pure(PinnedNode::emit);
    }

    @Override
    public Shape shape(ObjectNode settings, Catalogue catalogue) {
        List<String> ports = texts(settings.path("ports"));
        if (ports.isEmpty()) ports = List.of(SUCCESS);
        Optional<List<String>> fields = settings.path("fields").isArray() ? Optional.of(texts(settings.path("fields")))
                : Optional.empty();
        return new Shape(ports, fields, settings.path("every_input_needed").asBoolean(true));
    }

    private static NodeOutput emit(NodeCall call) {
        JsonNode outputs = call.settings().path("outputs");
        ObjectNode data = outputs.isObject() ? ((ObjectNode) outputs).deepCopy() : dev.weft.json.Json.object();
        return new NodeOutput(call.settings().path("port").asText(SUCCESS), data);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        for (JsonNode item : array) texts.add(item.asText());
        return texts;
    }
}
