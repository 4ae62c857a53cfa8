package dev.weft.builtin;

import dev.weft.registry.RegisteredType;
import static dev.weft.builtin.Calls.call;
import static dev.weft.builtin.Calls.json;
import static dev.weft.builtin.Calls.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MergeNodeTest {

    private final MergeNode merge = new MergeNode();

    @Test
    void merge_combines_the_branches_as_an_object_or_as_a_list_in_edge_order() {
        assertThat(merge.run(call("{}", "{'a': 1, 'b': {'x': 2}}")).data()).isEqualTo(json("{'a': 1, 'b': {'x': 2}}"));
        assertThat(merge.run(call("{'combine': 'list'}", "{'b': 2, 'a': 1}")).data())
                .isEqualTo(json("{'items': [2, 1]}"));
    }

    @Test
    void merge_waits_for_every_branch_unless_told_to_take_the_first() {
        assertThat(RegisteredType.of(merge).needsEveryInput(json("{}"))).isTrue();
        assertThat(RegisteredType.of(merge).needsEveryInput(json("{'wait': 'all'}"))).isTrue();
        assertThat(RegisteredType.of(merge).needsEveryInput(json("{'wait': 'first'}"))).isFalse();
    }

    @Test
    void merge_settings_problems_are_named_by_path() {
        assertThat(problems(merge, "{'wait': 'some', 'combine': 'set'}")).containsExactly(
                "wait: must be one of all, first (got \"some\")", "combine: must be one of object, list (got \"set\")");
        assertThatThrownBy(() -> RegisteredType.of(merge).rendered(json("{'combine': 3}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("settings.combine: must be one of object, list (got 3)");
    }
}
