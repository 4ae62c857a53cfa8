package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.TestNodes;
import dev.weft.json.Json;
import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputsTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    /** start -> a, b; b and a both feed c.x (b's edge first); a also feeds c.y with a dotted path. */
    private final Graph graph = Flows.flow().start("start").node("a", "count").node("b", "count").node("c", "echo",
                    "{\"both\": \"{{a.list}}\", \"first\": \"{{ y }}\"}").end("end", "out")
            .edge("start", "a", "success -> @").edge("start", "b", "success -> @")
            .edge("b", "c", "v -> x").edge("a", "c", "v -> x", "list.1 -> y", "nothing -> z")
            .edge("c", "end", "success -> out")
            .compile(TestNodes.registry(TestNodes.counting(), TestNodes.echo()));
    private final Steps steps = new Steps(graph);

    @Test
    void field_fed_by_several_edges_takes_the_first_active_edge_in_edge_order() {
        steps.put("a", done("a", "{\"v\": \"from a\", \"list\": [10, 20]}"));
        steps.put("b", done("b", "{\"v\": \"from b\"}"));

        assertThat(Inputs.gather(graph, "c", steps)).isEqualTo(Json.read("""
                {"x": "from b", "y": 20, "z": null}"""));

        steps.put("b", new Step.Finished(StepRecord.skipped("b", "count", NOW)));
        assertThat(Inputs.gather(graph, "c", steps).get("x").asText()).isEqualTo("from a");
    }

    @Test
    void a_step_gets_copies_so_it_cannot_change_what_upstream_steps_emitted() {
        ObjectNode emitted = (ObjectNode) Json.read("{\"v\": {\"deep\": 1}, \"list\": [10, {\"k\": 1}]}");
        steps.put("a", done("a", emitted.toString()));
        steps.put("b", new Step.Finished(StepRecord.skipped("b", "count", NOW)));

        ObjectNode inputs = Inputs.gather(graph, "c", steps);
        ((ObjectNode) inputs.get("x")).put("deep", 2);
        ObjectNode settings = Inputs.settings(graph, graph.node("c"), null, inputs, steps);
        settings.withArray("both").removeAll();

        assertThat(((Step.Finished) steps.get("a")).record().outputs()).isEqualTo(emitted);
    }

    private static Step.Finished done(String id, String json) {
        return new Step.Finished(new StepRecord(id, "count", StepState.DONE, "success", null,
                (ObjectNode) Json.read(json), null, List.of(), NOW, NOW));
    }
}
