package dev.weft.builtin;

import dev.weft.registry.RegisteredType;
import dev.weft.registry.SettingsSchema;
import static dev.weft.builtin.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.node.Problem;
import dev.weft.node.Problems;
import dev.weft.node.NodeType;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsSchemaTest {

    private static final SettingsSchema SCHEMA = new SettingsSchema(json("""
            {'type': 'object', 'required': ['model'], 'properties': {
              'model': {'type': 'string'},
              'temperature': {'type': 'number', 'minimum': 0, 'maximum': 2},
              'provider': {'enum': ['openai', 'anthropic']},
              'stop': {'oneOf': [{'type': 'string'}, {'type': 'array', 'items': {'type': 'string'}}]},
              'headers': {'type': 'object', 'additionalProperties': {'type': 'string'}}}}"""));

    private static List<String> problems(String settings, boolean unrendered) {
        Problems problems = new Problems();
        SCHEMA.check(json(settings), problems, unrendered);
        return problems.list().stream().map(Problem::toString).toList();
    }

    @Test
    void each_problem_is_named_with_the_flow_validators_path_and_words() {
        assertThat(problems("{'temperature': 3, 'provider': 'x', 'stop': [1], 'headers': {'X-A': true}}", false))
                .containsExactlyInAnyOrder(
                        "model: is required",
                        "temperature: must be at most 2 (got 3)",
                        "provider: must be one of openai, anthropic (got \"x\")",
                        "stop: must be text or a list of text (got an array)",
                        "headers.X-A: must be text (got a boolean)");
    }

    @Test
    void a_placeholder_stands_for_a_value_not_known_before_rendering() {
        assertThat(problems("{'model': 'm', 'temperature': '{{start.t}}', 'stop': '{{start.stop}}'}", true)).isEmpty();
        assertThat(problems("{'model': 'm', 'temperature': '{{start.t}}'}", false))
                .containsExactly("temperature: must be a number (got text)");
    }

    @Test
    void every_built_in_node_type_describes_itself_with_an_object_schema() {
        for (RegisteredType type : BuiltinNodes.registry(HttpNode.Options.DEFAULT).all()) {
            assertThat(type.catalogue().title()).as(type.id()).isNotBlank().isNotEqualTo(type.id());
            assertThat(type.catalogue().settingsSchema().path("type").asText()).as(type.id()).isEqualTo("object");
            // internal: a test-run's stand-in for a pinned node, never offered for a flow
            assertThat(type.catalogue().category()).as(type.id()).isIn("flow", "ai", "data", "logic", "integration",
                    "internal");
        }
    }
}
