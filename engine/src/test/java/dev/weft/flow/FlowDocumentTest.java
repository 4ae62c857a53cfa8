package dev.weft.flow;

import dev.weft.node.Problem;
import dev.weft.node.Problems;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowDocumentTest {

    private final Problems problems = new Problems();

    @Test
    void parses_nodes_edges_and_policies() {
        Flow flow = FlowDocument.parse(Json.read("""
                {"name": "demo", "default_start_node_id": "s", "default_end_node_id": "e",
                 "nodes": [{"id": "s", "type": "start"},
                           {"id": "x", "type": "http", "name": "Call", "settings": {"url": "https://a"},
                            "timeout_ms": 2500, "retry": {"max_attempts": 3, "backoff_ms": 100, "factor": 3},
                            "on_error": "continue"},
                           {"id": "e", "type": "end"}],
                 "edges": [{"from_node": "s", "to_node": "x", "fields_mapping": [{"from_field": "q", "to_field": "q"}]}]}
                """), problems);

        assertThat(problems.list()).isEmpty();
        assertThat(flow.name()).isEqualTo("demo");
        assertThat(flow.defaultStart()).isEqualTo("s");
        FlowNode x = flow.node("x").orElseThrow();
        assertThat(x.settings()).isEqualTo(Json.read("{\"url\": \"https://a\"}"));
        assertThat(x.policy()).isEqualTo(new NodePolicy(Duration.ofMillis(2500), 3, Duration.ofMillis(100), 3,
                OnError.CONTINUE));
        assertThat(x.policy().backoffBefore(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(x.policy().backoffBefore(3)).isEqualTo(Duration.ofMillis(300));
        assertThat(flow.node("s").orElseThrow().policy()).isEqualTo(NodePolicy.DEFAULT);
        assertThat(flow.edges()).containsExactly(new Edge("s", "x", List.of(new FieldMapping("q", "q"))));
    }

    @Test
    void every_shape_problem_is_reported_with_its_path() {
        FlowDocument.parse(Json.read("""
                {"name": 3,
                 "nodes": [{"type": "start"},
                           {"id": "bad id!", "type": ""},
                           {"id": "x", "type": "http", "settings": [], "timeout_ms": 0,
                            "retry": {"max_attempts": 99, "backoff_ms": -1, "factor": 0.5}, "on_error": "retry"},
                           "not a node"],
                 "edges": [{"from_node": "x", "fields_mapping": []},
                           {"from_node": "x", "to_node": "y", "fields_mapping": [{"from_field": "a"}]}]}
                """), problems);

        assertThat(problems.list()).extracting(Problem::field).containsExactly(
                "name",
                "nodes[0].id",
                "nodes[1].id", "nodes[1].type",
                "nodes[2].settings", "nodes[2].timeout_ms", "nodes[2].retry.max_attempts",
                "nodes[2].retry.backoff_ms", "nodes[2].retry.factor", "nodes[2].on_error",
                "nodes[3]",
                "edges[0].to_node", "edges[0].fields_mapping",
                "edges[1].fields_mapping[0].to_field");
        assertThat(problems.list().get(1).message()).isEqualTo("is required");
        assertThat(problems.list().get(2).message()).contains("'bad id!'");
    }

    @Test
    void document_that_is_not_an_object_or_has_no_nodes_is_refused() {
        FlowDocument.parse(Json.read("[]"), problems);
        FlowDocument.parse(Json.read("{\"edges\": {}}"), problems.at("second"));

        assertThat(problems.list()).extracting(Problem::field).containsExactly("", "second.nodes", "second.edges");
    }

    @Test
    void missing_node_ids_are_generated_from_four_letters_or_digits_and_the_type() {
        JsonNode document = Json.read("""
                {"nodes": [{"type": "start"}, {"id": null, "type": "template"}, {"id": "keep", "type": "end"},
                           {"type": "my type"}]}""");

        JsonNode withIds = FlowDocument.withNodeIds(document);

        assertThat(withIds.at("/nodes/0/id").asText()).matches("[A-Za-z0-9]{4}-start");
        assertThat(withIds.at("/nodes/1/id").asText()).matches("[A-Za-z0-9]{4}-template");
        assertThat(withIds.at("/nodes/2/id").asText()).isEqualTo("keep");
        assertThat(withIds.at("/nodes/3/id").asText()).matches("[A-Za-z0-9]{4}-my-type")
                .matches(FlowDocument.NODE_ID);
        assertThat(document.at("/nodes/0/id").isMissingNode()).as("the input is not changed").isTrue();
    }

    @Test
    void generated_node_ids_differ() {
        assertThat(List.of(FlowDocument.newNodeId("x"), FlowDocument.newNodeId("x"), FlowDocument.newNodeId("x")))
                .doesNotHaveDuplicates();
    }

    @Test
    void sticky_notes_are_accepted_and_not_nodes_and_a_badly_shaped_note_is_named() {
        Flow flow = FlowDocument.parse(Json.read("""
                {"nodes": [{"id": "s", "type": "start"}],
                 "notes": [{"id": "note_1", "text": "Why this flow", "position": {"x": 1, "y": 2}, "width": 200}]}
                """), problems);
        assertThat(problems.list()).isEmpty();
        assertThat(flow.nodes()).extracting(FlowNode::id).containsExactly("s");

        FlowDocument.parse(Json.read("""
                {"nodes": [], "notes": [{"id": "n", "text": 3}, "x"]}"""), problems);
        FlowDocument.parse(Json.read("{\"nodes\": [], \"notes\": {}}"), problems);
        assertThat(problems.list()).extracting(Problem::field).containsExactly("notes[0].text", "notes[1]", "notes");
    }
}
