package dev.weft.builtin;

import dev.weft.registry.RegisteredType;
import static dev.weft.builtin.Calls.call;
import static dev.weft.builtin.Calls.json;
import static dev.weft.builtin.Calls.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.node.NodeOutput;
import java.util.List;
import org.junit.jupiter.api.Test;

class SwitchNodeTest {

    private static final String SIZES = "'cases': [{'port': 'small', 'operator': 'lt', 'value': 10},"
            + " {'port': 'medium', 'operator': 'lt', 'value': 100}, {'port': 'vip', 'condition': '{{vip}}',"
            + " 'operator': 'truthy'}]";
    private final SwitchNode node = new SwitchNode();

    @Test
    void each_case_is_a_port_plus_default() {
        assertThat(RegisteredType.of(node).ports(json("{" + SIZES + "}"))).containsExactly("small", "medium", "vip", "default");
        assertThat(RegisteredType.of(node).ports(json("{}"))).containsExactly("default");
    }

    @Test
    void the_first_matching_case_gets_the_inputs_and_its_port_in_case() {
        NodeOutput output = node.run(call("{'condition': 42, " + SIZES + "}", "{'order': 7}"));

        assertThat(output.port()).isEqualTo("medium");
        assertThat(output.data()).isEqualTo(json("{'order': 7, 'case': 'medium'}"));
    }

    @Test
    void a_case_may_test_a_condition_of_its_own_and_nothing_matching_goes_to_default() {
        assertThat(node.run(call("{'condition': 500, 'cases': [{'port': 'small', 'operator': 'lt', 'value': 10},"
                + " {'port': 'vip', 'condition': true, 'operator': 'truthy'}]}")).port()).isEqualTo("vip");
        assertThat(node.run(call("{'condition': 500, 'cases': [{'port': 'small', 'operator': 'lt', 'value': 10}]}"))
                .port()).isEqualTo("default");
    }

    @Test
    void equals_is_the_default_operator_and_an_input_field_condition_wins_over_the_setting() {
        NodeOutput output = node.run(call("{'condition': 'x', 'cases': [{'port': 'b', 'value': 'b'},"
                + " {'port': 'a', 'value': 'a'}]}", "{'condition': 'a'}"));

        assertThat(output.port()).isEqualTo("a");
    }

    @Test
    void settings_problems_are_named_by_path() {
        assertThat(problems(node, "{}")).containsExactly("cases: is required");
        assertThat(problems(node, "{'cases': [{'port': 'a b'}, {'port': 'default', 'operator': 'truthy'},"
                + " {'port': 'x', 'value': 1}, {'port': 'x', 'operator': 'between', 'value': 1}, {'value': 2}]}"))
                .containsExactlyInAnyOrder(
                        "cases[0].port: must be 1 to 64 letters, digits, '_' or '-' (got \"a b\")",
                        "cases[0].value: is required by operator equals",
                        "cases[1].port: 'default' is reserved; name the case otherwise",
                        "cases[3].port: another case already sends to port 'x'",
                        "cases[3].operator: must be one of truthy, equals, not_equals, gt, gte, lt, lte, contains,"
                                + " empty, not_empty (got \"between\")",
                        "cases[4].port: is required");
    }

    @Test
    void cases_that_render_wrong_are_refused_by_the_registry_before_the_node_runs() {
        assertThatThrownBy(() -> RegisteredType.of(node).rendered(json("{'cases': 'oops'}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("settings.cases: must be a list (got text)");
        assertThat(List.of(RegisteredType.of(node).catalogue().category())).containsExactly("logic");
    }
}
