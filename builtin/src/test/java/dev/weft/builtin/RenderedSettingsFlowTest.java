package dev.weft.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.json.Json;
import dev.weft.task.TaskError;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import org.junit.jupiter.api.Test;

/**
 * Built-in nodes get their settings as the registry checked them, once rendered: a run whose references render a
 * setting the schema refuses fails that step with a {@code settings} error, and a lone reference of a non-text value
 * where the schema wants text arrives as its text.
 */
class RenderedSettingsFlowTest {

    /** start (one input, {@code value}) → {@code node} (the settings given) → end ({@code out}: the node's field). */
    private static TaskOutcome run(String type, String settings, String field, String value) throws Exception {
        String document = """
                {"name": "rendered", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"value": {"type": "object"}}}},
                  {"id": "node", "type": "TYPE", "settings": SETTINGS},
                  {"id": "end", "type": "end", "settings": {"outputs": {"out": {}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "node", "fields_mapping": [{"from_field": "value", "to_field": "value"}]},
                  {"from_node": "node", "to_node": "end", "fields_mapping": [{"from_field": "FIELD", "to_field": "out"}]}]}
                """.replace("TYPE", type).replace("SETTINGS", settings).replace("FIELD", field);
        return TestFlows.run(document, "{\"value\": " + value + "}");
    }

    @Test
    void a_setting_rendered_against_the_schema_fails_its_step_with_the_settings_type() throws Exception {
        TaskOutcome outcome = run("switch", "{\"condition\": 1, \"cases\": \"{{start.value}}\"}", "case", "\"oops\"");

        assertThat(outcome.state()).isEqualTo(TaskState.FAILED);
        assertThat(outcome.error()).isEqualTo(new TaskError("settings", "settings.cases: must be a list (got text)",
                "node"));
    }

    @Test
    void a_lone_reference_of_json_where_the_schema_wants_text_arrives_as_its_text() throws Exception {
        TaskOutcome outcome = run("template", "{\"template\": \"{{start.value}}\"}", "text", "{\"n\": [1, 2]}");

        assertThat(outcome.state()).as(String.valueOf(outcome.error())).isEqualTo(TaskState.COMPLETED);
        assertThat(outcome.result()).isEqualTo(Json.read("{\"out\": \"{\\\"n\\\":[1,2]}\"}"));
    }

    @Test
    void a_merge_told_to_combine_by_a_reference_is_checked_when_rendered() throws Exception {
        TaskOutcome outcome = run("merge", "{\"combine\": \"{{start.value}}\"}", "items", "\"set\"");

        assertThat(outcome.error()).isEqualTo(new TaskError("settings",
                "settings.combine: must be one of object, list (got \"set\")", "node"));
    }
}
