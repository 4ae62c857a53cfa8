package dev.weft.builtin;

import dev.weft.registry.RegisteredType;
import static dev.weft.builtin.Calls.call;
import static dev.weft.builtin.Calls.json;
import static dev.weft.builtin.Calls.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IfNodeTest {

    private final IfNode node = new IfNode();

    @Test
    void has_a_true_and_a_false_port() {
        assertThat(RegisteredType.of(node).ports(json("{}"))).containsExactly("true", "false");
    }

    @Test
    void emits_its_inputs_and_the_result_on_the_port_of_the_result() {
        NodeOutput output = node.run(call("{'condition': 7, 'operator': 'gt', 'value': 5}",
                "{'order': {'id': 'A1'}, 'total': 7}"));

        assertThat(output.port()).isEqualTo("true");
        assertThat(output.data()).isEqualTo(json("{'order': {'id': 'A1'}, 'total': 7, 'condition': true}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "null", "0", "0.0", "''", "'false'", "'FALSE'", "[]", "{}"})
    void falsy_conditions_go_to_the_false_port(String condition) {
        NodeOutput output = node.run(call("{'condition': " + condition + "}"));

        assertThat(output.port()).isEqualTo("false");
        assertThat(output.data().get("condition").booleanValue()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "1", "-0.5", "'yes'", "'0'", "[0]", "{'a': null}"})
    void truthy_conditions_go_to_the_true_port(String condition) {
        assertThat(node.run(call("{'condition': " + condition + "}")).port()).isEqualTo("true");
    }

    @Test
    void a_missing_condition_is_false() {
        assertThat(node.run(call("{}")).port()).isEqualTo("false");
    }

    @Test
    void an_input_field_named_condition_takes_precedence_over_the_setting() {
        NodeOutput output = node.run(call("{'condition': true}", "{'condition': 0, 'name': 'Ada'}"));

        assertThat(output.port()).isEqualTo("false");
        assertThat(output.data()).isEqualTo(json("{'condition': false, 'name': 'Ada'}"));
    }

    @ParameterizedTest(name = "{0} {1} {2} is {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "5         | equals     | 5.0          | true",
            "5         | equals     | '5'          | true",
            "'5'       | equals     | '5.0'        | false",
            "'ok'      | equals     | 'ok'         | true",
            "{'a': 1}  | equals     | {'a': 1}     | true",
            "null      | equals     | null         | true",
            "'ok'      | not_equals | 'ko'         | true",
            "10        | gt         | 9            | true",
            "'10'      | gt         | 9            | true",
            "9         | gte        | 9            | true",
            "'apple'   | lt         | 'banana'     | true",
            "3         | lte        | 2            | false",
            "'hello'   | contains   | 'ell'        | true",
            "[1, 2, 3] | contains   | 2.0          | true",
            "[1, 2, 3] | contains   | 4            | false",
            "{'id': 1} | contains   | 'id'         | true",
            "null      | contains   | 'x'          | false",
    })
    void binary_operators_compare_the_condition_with_the_value(String condition, String operator, String value,
                                                              boolean expected) {
        NodeOutput output = node.run(call("{'condition': " + condition + ", 'operator': '" + operator
                + "', 'value': " + value + "}"));

        assertThat(output.port()).isEqualTo(String.valueOf(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {"'' | true", "[] | true", "null | true", "'x' | false", "0 | false"})
    void empty_and_not_empty_test_for_no_content(String condition, boolean empty) {
        assertThat(node.run(call("{'condition': " + condition + ", 'operator': 'empty'}")).port())
                .isEqualTo(String.valueOf(empty));
        assertThat(node.run(call("{'condition': " + condition + ", 'operator': 'not_empty'}")).port())
                .isEqualTo(String.valueOf(!empty));
    }

    @Test
    void an_unknown_operator_or_a_binary_operator_without_value_is_a_problem() {
        assertThat(problems(node, "{'operator': 'bigger'}")).containsExactly("operator: must be one of truthy, equals,"
                + " not_equals, gt, gte, lt, lte, contains, empty, not_empty (got \"bigger\")");
        assertThat(problems(node, "{'condition': 1, 'operator': 'gt'}"))
                .containsExactly("value: is required by operator gt (the operand to test against)");
        assertThat(problems(node, "{'condition': '{{start.n}}', 'operator': 'gt', 'value': null}")).isEmpty();
        assertThat(problems(node, "{'operator': '{{start.op}}'}")).isEmpty();
    }

    @Test
    void comparing_values_that_have_no_order_fails_with_condition_error() {
        assertThatThrownBy(() -> node.run(call("{'condition': {'a': 1}, 'operator': 'gt', 'value': 1}")))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo("condition_error");
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage())
                            .isEqualTo("operator gt compares two numbers or two texts; got an object and a number");
                });
    }

    @Test
    void an_operator_rendered_to_an_unknown_name_fails_with_the_settings_type() {
        assertThatThrownBy(() -> node.run(call("{'condition': 1, 'operator': 'above'}")))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.type()).isEqualTo("settings"));
    }

    @Test
    void lets_any_field_pass_through_its_ports() {
        assertThat(RegisteredType.of(node).outputFields(json("{}"))).isEmpty();
    }
}
