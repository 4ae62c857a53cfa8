package dev.weft.builtin;

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
 * that value's JSON text (the registry passes any setting whose schema wants text as text).
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
        ObjectNode data = Json.object();
        data.put("text", call.settings().get("template").asText());   // text: the registry checked the schema
        return NodeOutput.success(data);
    }
}
