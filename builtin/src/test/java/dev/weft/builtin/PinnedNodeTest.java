package dev.weft.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import dev.weft.node.Run;
import dev.weft.node.Shape;
import dev.weft.registry.RegisteredType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PinnedNodeTest {

    final RegisteredType pinned = BuiltinNodes.registry(HttpNode.Options.DEFAULT).get(PinnedNode.TYPE);

    @Test
    void it_takes_the_shape_of_the_node_it_stands_in_for() {
        ObjectNode settings = (ObjectNode) Json.read("""
                {"outputs": {"text": "hi"}, "port": "success", "ports": ["success"], "fields": ["text", "usage"],
                 "every_input_needed": false}""");
        assertThat(pinned.shape(settings)).isEqualTo(new Shape(List.of("success"), Optional.of(List.of("text", "usage")), false));
        assertThat(pinned.shape((ObjectNode) Json.read("{\"outputs\": {}, \"ports\": [\"true\", \"false\"]}")))
                .isEqualTo(new Shape(List.of("true", "false"), Optional.empty(), true));
        assertThat(pinned.rawSettings()).as("a pinned text holding {{ }} is not rendered").contains("outputs");
        assertThat(pinned.pure()).isTrue();
    }

    @Test
    void it_emits_a_copy_of_the_pinned_outputs_on_the_pinned_port() throws Exception {
        ObjectNode settings = (ObjectNode) Json.read("{\"outputs\": {\"value\": {\"n\": 1}}, \"port\": \"false\"}");
        NodeOutput output = ((Run.Pure) new PinnedNode().run()).body().apply(call(settings));
        assertThat(output.port()).isEqualTo("false");
        assertThat(output.data()).isEqualTo(Json.read("{\"value\": {\"n\": 1}}"));
        ((ObjectNode) output.data().get("value")).put("n", 2);
        assertThat(settings.path("outputs").path("value").path("n").asInt()).as("the settings are not shared").isEqualTo(1);
    }

    private static NodeCall call(ObjectNode settings) {
        return Calls.call(settings, Json.object());
    }
}
