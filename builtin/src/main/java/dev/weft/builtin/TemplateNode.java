package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Problems;
import dev.weft.node.Run;
import java.util.List;
import java.util.Optional;

/**
 * The {@code template} node: emits its {@code template} setting as {@code text}, with every {@code {{ }}}
 * reference filled in (the engine renders it); a template that is one placeholder of a non-text value emits
 * that value's JSON text.
 */
public final class TemplateNode implements NodeType {

    public static final String TYPE = "template";

    @Override
    public String id() {
        return TYPE;
    }

    @Override
    public Run run() {
        return Run.pure(this::run);
    }

    public NodeOutput run(NodeCall call) {
        JsonNode rendered = call.settings().get("template");
        // A run's settings override can drop it; once rendered it may be any JSON value, not only text.
        if (rendered == null) throw Settings.invalid("template", "is required");
        ObjectNode data = Json.object();
        data.put("text", rendered.isTextual() ? rendered.asText() : Json.write(rendered));
        return NodeOutput.success(data);
    }
}
