package dev.weft.builtin;

import dev.weft.registry.RegisteredType;
import static dev.weft.builtin.Calls.call;
import static dev.weft.builtin.Calls.json;
import static dev.weft.builtin.Calls.problems;
import static dev.weft.builtin.Calls.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TemplateNodeTest {

    private final TemplateNode node = new TemplateNode();

    @Test
    void emits_the_rendered_template_as_text() {
        NodeOutput output = node.run(call("{'template': 'Hello Ada, you have 3 messages'}"));

        assertThat(output.port()).isEqualTo(NodeType.SUCCESS);
        assertThat(output.data()).isEqualTo(json("{'text': 'Hello Ada, you have 3 messages'}"));
    }

    @Test
    void a_template_rendered_to_a_non_text_value_emits_its_json_text() {
        // A template that is exactly one placeholder renders to the referenced value itself; the registry passes it
        // on as text, since the schema wants text.
        assertThat(node.run(rendered(node, "{'template': {'name': 'Ada', 'tags': [1, 2]}}")).data().get("text")
                .asText()).isEqualTo("{\"name\":\"Ada\",\"tags\":[1,2]}");
        assertThat(node.run(rendered(node, "{'template': 42}")).data()).isEqualTo(json("{'text': '42'}"));
    }

    @Test
    void declares_text_as_its_only_output_field() {
        assertThat(RegisteredType.of(node).outputFields(json("{'template': 'x'}"))).isEqualTo(Optional.of(List.of("text")));
    }

    @Test
    void a_missing_or_non_text_template_is_a_problem_at_its_path() {
        assertThat(problems(node, "{}")).containsExactly("template: is required");
        assertThat(problems(node, "{'template': 5}")).containsExactly("template: must be text (got a number)");
        assertThat(problems(node, "{'template': 'Hi {{start.name}}'}")).isEmpty();
    }

    @Test
    void a_run_whose_override_drops_the_template_is_refused_before_the_node_runs() {
        assertThatThrownBy(() -> rendered(node, "{'template': null}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("settings.template: must be text (got null)");
        assertThatThrownBy(() -> rendered(node, "{}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("settings.template: is required");
    }
}
