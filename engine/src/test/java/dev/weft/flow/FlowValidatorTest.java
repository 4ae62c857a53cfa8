package dev.weft.flow;

import dev.weft.node.Problem;
import dev.weft.node.Problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.TestNodes;
import dev.weft.json.Json;
import dev.weft.node.Catalogue;
import dev.weft.node.NodeCall;
import dev.weft.node.Run;
import dev.weft.node.NodeOutput;
import dev.weft.registry.NodeRegistry;
import dev.weft.node.NodeType;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowValidatorTest {

    /** Type {@code fetch}: its settings need an absolute {@code url}. */
    private static final NodeType FETCH = new NodeType() {
        @Override
        public String id() {
            return "fetch";
        }

        @Override
        public Catalogue catalogue() {
            return Catalogue.minimal(id());
        }

        @Override
        public void check(ObjectNode settings, Problems problems) {
            if (!settings.path("url").asText().startsWith("https://")) problems.add("url", "must be an https URL");
        }

        @Override
        public Run run() {
            return Run.blocking(call -> {
                throw new UnsupportedOperationException();
            });
        }
    };

    private final NodeRegistry registry = TestNodes.registry(TestNodes.inc(), TestNodes.echo(), TestNodes.branch(),
            TestNodes.flaky(0), FETCH);
    private final FlowValidator validator = new FlowValidator(registry);

    /** start(n) -> a(inc) -> end(n): valid; tests add one fault at a time. */
    private static Flows valid() {
        return Flows.flow().start("start", "n:integer").node("a", "inc").end("end", "n")
                .edge("start", "a", "n").edge("a", "end", "n");
    }

    @Test
    void valid_flow_is_returned_parsed() {
        Flow flow = validator.check(valid().document());

        assertThat(flow.nodes()).extracting(FlowNode::id).containsExactly("start", "a", "end");
        assertThat(flow.edges()).hasSize(2);
    }

    @Test
    void duplicate_node_id_is_reported_on_the_later_node() {
        List<Problem> problems = problems(valid().node("a", "inc").document());

        assertThat(problems).containsExactly(new Problem("nodes[3].id", "duplicate node id 'a' (also nodes[1])"));
    }

    @Test
    void unknown_node_type_is_reported_with_the_known_ones() {
        List<Problem> problems = problems(valid().node("x", "nope").edge("a", "x", "n").document());

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("nodes[3].type");
            assertThat(p.message()).contains("unknown node type 'nope'").contains("inc", "fetch");
        });
    }

    @Test
    void settings_problems_of_a_node_type_carry_the_settings_path() {
        List<Problem> problems = problems(valid().node("f", "fetch", "{\"url\": \"ftp://x\"}")
                .edge("a", "f", "n").document());

        assertThat(problems).containsExactly(new Problem("nodes[3].settings.url", "must be an https URL"));
    }

    @Test
    void start_inputs_with_a_bad_type_are_reported_under_settings_inputs() {
        JsonNode document = Flows.flow().start("start", "n:float").node("a", "inc").end("end", "n")
                .edge("start", "a", "n").edge("a", "end", "n").document();

        assertThat(fields(problems(document))).containsExactly("nodes[0].settings.inputs.n.type");
    }

    @Test
    void dangling_edges_name_the_missing_end_of_the_edge() {
        List<Problem> problems = problems(valid().edge("ghost", "a", "n").edge("a", "nowhere", "n").document());

        assertThat(problems).containsExactly(
                new Problem("edges[2].from_node", "no node has id 'ghost'"),
                new Problem("edges[3].to_node", "no node has id 'nowhere'"));
    }

    @Test
    void edges_into_a_start_node_or_onto_their_own_node_are_refused() {
        List<Problem> problems = problems(valid().edge("a", "start", "n").document());

        assertThat(fields(problems)).contains("edges[2].to_node");
        assertThat(problems).anySatisfy(p -> assertThat(p.message()).contains("start node takes no incoming"));
    }

    @Test
    void unknown_output_field_of_the_source_is_reported_on_from_field() {
        List<Problem> problems = problems(valid().edge("a", "end", "m -> n").document());

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("edges[2].fields_mapping[0].from_field");
            assertThat(p.message()).contains("no output field or port 'm'").contains("fields: n");
        });
    }

    @Test
    void unknown_output_field_of_an_end_node_is_reported_on_to_field() {
        List<Problem> problems = problems(valid().edge("a", "end", "n -> total").document());

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("edges[2].fields_mapping[0].to_field");
            assertThat(p.message()).contains("no output field 'total'");
        });
    }

    @Test
    void error_port_of_a_node_that_does_not_continue_on_error_is_refused() {
        Flows base = Flows.flow().start("start").node("x", "flaky").node("h", "echo").end("end", "out")
                .edge("start", "x", "success -> @").edge("x", "h", "error -> e").edge("h", "end", "success -> out");

        assertThat(fields(problems(base.document()))).containsExactly("edges[1].fields_mapping[0].from_field");
        assertThat(validator.check(withOnErrorContinue(base.document(), 1)).edges()).hasSize(3);
    }

    @Test
    void cycle_is_reported_with_its_path() {
        JsonNode document = valid().node("b", "inc").edge("a", "b", "n").edge("b", "a", "n").document();

        assertThat(problems(document)).containsExactly(new Problem("edges", "the edges form a cycle: a -> b -> a"));
    }

    @Test
    void missing_start_and_end_nodes_are_reported_on_nodes() {
        JsonNode document = Flows.flow().node("a", "echo").document();

        assertThat(problems(document)).extracting(Problem::field, Problem::message).contains(
                tuple("nodes", "the flow has no start node"),
                tuple("nodes", "the flow has no end node"));
    }

    @Test
    void end_that_no_start_reaches_is_reported_on_that_node() {
        JsonNode document = valid().end("end2", "n").document();

        assertThat(problems(document)).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("nodes[3]");
            assertThat(p.message()).contains("'end2' is not reachable from any start node");
        });
    }

    @Test
    void node_without_incoming_edge_is_reported_on_that_node() {
        JsonNode document = valid().node("lonely", "echo").edge("lonely", "end", "text -> n").document();

        assertThat(problems(document)).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("nodes[3]");
            assertThat(p.message()).contains("'lonely' has no incoming edge");
        });
    }

    @Test
    void a_draft_may_hold_a_node_not_connected_yet_but_the_full_check_refuses_it() {
        JsonNode document = valid().node("lonely", "echo").edge("lonely", "end", "text -> n").document();

        assertThat(validator.checkDraft(document).nodes()).extracting(FlowNode::id).contains("lonely");
        assertThat(catchThrowableOfType(InvalidFlowException.class, () -> validator.check(document))).isNotNull();
    }

    @Test
    void default_start_and_end_must_name_nodes_of_that_type() {
        ObjectNode document = valid().document();
        document.put("default_start_node_id", "a").put("default_end_node_id", "ghost");

        assertThat(problems(document)).containsExactly(
                new Problem("default_start_node_id", "node 'a' is not a start node"),
                new Problem("default_end_node_id", "no node has id 'ghost'"));
    }

    @Test
    void template_references_must_name_an_upstream_node_or_a_mapped_input_field() {
        JsonNode document = Flows.flow().start("start", "n:integer").node("a", "inc").node("side", "inc")
                .node("e", "echo", """
                        {"template": "{{ side.n }} and {{ nothing }}", "ok": "{{start.n}} {{a.n}} {{count}}",
                         "list": ["{{ end.n }}"]}""")
                .end("end", "n")
                .edge("start", "a", "n").edge("start", "side", "n").edge("a", "e", "n -> count")
                .edge("side", "end", "n").edge("e", "end", "count -> n").document();

        List<Problem> problems = problems(document);

        assertThat(fields(problems)).containsExactly("nodes[3].settings.template", "nodes[3].settings.template",
                "nodes[3].settings.list[0]");
        assertThat(problems.get(0).message()).contains("refers to node 'side', which is not upstream of 'e'");
        assertThat(problems.get(1).message()).contains("'nothing', which is neither a node id nor an input field");
        assertThat(problems.get(2).message()).contains("refers to node 'end'");
    }

    @Test
    void template_that_does_not_parse_is_reported_at_its_setting() {
        JsonNode document = valid().node("e", "echo", "{\"headers\": {\"X-Id\": \"{{ start.n \"}}")
                .edge("a", "e", "n").document();

        assertThat(problems(document)).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("nodes[3].settings.headers.X-Id");
            assertThat(p.message()).contains("never closed");
        });
    }

    @Test
    void every_problem_is_reported_in_one_pass() {
        ObjectNode document = valid()
                .node("a", "inc")                                   // nodes[3]: duplicate id
                .node("b", "nope")                                  // nodes[4]: unknown type
                .node("f", "fetch", "{\"url\": \"x\"}")           // nodes[5]: bad settings
                .edge("a", "ghost", "n")                            // edges[2]: dangling
                .document();
        ((ObjectNode) document.withArray("nodes").get(1)).put("timeout_ms", -5);        // a shape problem
        document.withArray("nodes").addObject().put("id", "untyped");                  // nodes[6]: no type
        document.withArray("edges").addObject().put("from_node", "a").put("to_node", "untyped")
                .putArray("fields_mapping").addObject().put("from_field", "n").put("to_field", "n");

        assertThat(fields(problems(document))).containsExactlyInAnyOrder(
                "nodes[1].timeout_ms", "nodes[6].type", "nodes[3].id", "nodes[4].type", "nodes[5].settings.url",
                "edges[2].to_node");
    }

    @Test
    void every_graph_problem_is_reported_in_one_pass() {
        JsonNode document = valid().node("b", "inc").node("c", "inc").node("lonely", "echo", "{\"t\": \"{{zz}}\"}")
                .edge("a", "b", "n").edge("b", "c", "n").edge("c", "b", "n").edge("lonely", "end", "t -> n")
                .document();

        assertThat(problems(document)).extracting(Problem::field).containsExactlyInAnyOrder(
                "edges", "nodes[5]", "nodes[5].settings.t");
    }

    private List<Problem> problems(JsonNode document) {
        InvalidFlowException e = catchThrowableOfType(InvalidFlowException.class, () -> validator.check(document));
        assertThat(e).as("the document should be invalid").isNotNull();
        return e.problems();
    }

    private static List<String> fields(List<Problem> problems) {
        return problems.stream().map(Problem::field).toList();
    }

    private static JsonNode withOnErrorContinue(JsonNode document, int node) {
        ObjectNode copy = (ObjectNode) Json.read(document.toString());
        ((ObjectNode) copy.withArray("nodes").get(node)).put("on_error", "continue");
        return copy;
    }

    @Test
    void run_order_puts_each_node_after_its_sources_and_keeps_document_order_between_equals() {
        Flow flow = Flows.flow().start("start", "n:integer").end("end", "n").node("b", "inc").node("a", "inc")
                .node("c", "inc").edge("start", "b", "n").edge("start", "a", "n").edge("a", "c", "n")
                .edge("b", "end", "n").edge("c", "end", "n").validate(registry);

        assertThat(flow.runOrder()).containsExactly(java.util.Map.entry("start", 0), java.util.Map.entry("b", 1),
                java.util.Map.entry("a", 2), java.util.Map.entry("c", 3), java.util.Map.entry("end", 4));
    }
}
