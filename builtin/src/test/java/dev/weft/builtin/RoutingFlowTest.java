package dev.weft.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.json.Json;
import dev.weft.task.TaskOutcome;
import org.junit.jupiter.api.Test;

/** switch and merge in a flow run by the engine: a port per case, skipped branches, and a merge of what ran. */
class RoutingFlowTest {

    private static String flow(String wait) {
        return """
                {"name": "route", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"kind": {"type": "string"}}}},
                  {"id": "route", "type": "switch", "settings": {"condition": "{{start.kind}}", "cases": [
                    {"port": "a", "value": "a"}, {"port": "b", "value": "b"}]}},
                  {"id": "on_a", "type": "template", "settings": {"template": "chose A"}},
                  {"id": "on_b", "type": "template", "settings": {"template": "chose B"}},
                  {"id": "other", "type": "template", "settings": {"template": "chose nothing"}},
                  {"id": "join", "type": "merge", "settings": {"wait": "WAIT", "combine": "list"}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"items": {"type": "array"}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "route", "fields_mapping": [{"from_field": "kind", "to_field": "kind"}]},
                  {"from_node": "route", "to_node": "on_a", "fields_mapping": [{"from_field": "a", "to_field": "@"}]},
                  {"from_node": "route", "to_node": "on_b", "fields_mapping": [{"from_field": "b", "to_field": "@"}]},
                  {"from_node": "route", "to_node": "other", "fields_mapping": [{"from_field": "default", "to_field": "@"}]},
                  {"from_node": "on_a", "to_node": "join", "fields_mapping": [{"from_field": "text", "to_field": "a"}]},
                  {"from_node": "on_b", "to_node": "join", "fields_mapping": [{"from_field": "text", "to_field": "b"}]},
                  {"from_node": "other", "to_node": "join", "fields_mapping": [{"from_field": "text", "to_field": "d"}]},
                  {"from_node": "join", "to_node": "end", "fields_mapping": [{"from_field": "items", "to_field": "items"}]}]}
                """.replace("WAIT", wait);
    }

    private static TaskOutcome run(String wait, String kind) throws Exception {
        return TestFlows.run(flow(wait), "{\"kind\": \"" + kind + "\"}");
    }

    @Test
    void the_matching_case_runs_and_a_merge_set_to_first_takes_the_branch_that_ran() throws Exception {
        assertThat(run("first", "b").result()).isEqualTo(Json.read("{\"items\": [\"chose B\"]}"));
        assertThat(run("first", "zzz").result()).isEqualTo(Json.read("{\"items\": [\"chose nothing\"]}"));
    }

    @Test
    void a_merge_waiting_for_all_is_skipped_when_a_branch_did_not_run() throws Exception {
        assertThat(run("all", "a").result()).isEqualTo(Json.read("{\"items\": null}"));
    }
}
