package dev.weft.builtin;

import dev.weft.registry.RegisteredType;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.node.NodeType;
import org.junit.jupiter.api.Test;

class BuiltinNodesTest {

    @Test
    void the_registry_holds_every_built_in_node_type() {
        assertThat(BuiltinNodes.registry(HttpNode.Options.DEFAULT).all().stream().map(RegisteredType::id))
                .containsExactly("start", "end", "if", "template", "transform", "http", "llm", "code", "switch", "merge", "delay",
                        "subflow", "map", "files", "kb_search", "kb_ingest", "mcp", "agent", "image", "transcribe", "speech",
                        "model", "python", "scade_placeholder", "pinned");
    }
}
