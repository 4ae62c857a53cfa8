package dev.weft.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.engine.Graph;
import dev.weft.engine.TaskRequest;
import dev.weft.engine.testing.TestEngine;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowValidator;
import dev.weft.json.Json;
import dev.weft.registry.NodeRegistry;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The flow files under examples/ that docs/nodes.md points to: each is valid, and those needing no network run. */
class ExamplesTest {

    private static final Path EXAMPLES = Path.of("..", "examples");
    private final TestEngine engine = TestEngine.direct();
    /** The built-in types on the test's engine: delays on its manual timer, map items on its calling thread. */
    private final NodeRegistry registry = BuiltinNodes.registry(BuiltinNodes.Services.of(HttpNode.Options.DEFAULT)
            .withRuns(new FlowRuns(PublishedFlows.NONE, engine.nodes(), Runnable::run, engine.timer(), engine.clock()),
                    engine.timer(), engine.clock()));

    private Flow flow(String file) throws IOException {
        return new FlowValidator(registry).check(Json.read(Files.readString(EXAMPLES.resolve(file))));
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    private JsonNode run(String file) throws Exception {
        Graph graph = Graph.compile(flow(file), registry, "start", "end", "end");
        CompletableFuture<TaskOutcome> running = engine.start(new TaskRequest(1, graph, Map.of(), List.of()));
        engine.timer().advance(Duration.ofHours(1));   // delays answer when their time comes, without sleeping
        TaskOutcome outcome = running.get();
        assertThat(outcome.state()).as(file + ": " + outcome.error()).isEqualTo(TaskState.COMPLETED);
        return outcome.result();
    }

    @Test
    void every_example_is_a_valid_flow() throws Exception {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
            assertThat(names).contains("code.json", "switch-merge.json", "delay.json", "transform-if.json", "llm.json",
                    "http-auth.json", "subflow.json", "map.json",
                    "model.json");
            for (String name : names) assertThat(flow(name).nodes()).as(name).isNotEmpty();
        }
    }

    @Test
    void the_code_example_totals_the_order() throws Exception {
        assertThat(run("code.json")).isEqualTo(Json.read("{\"total\": 40, \"logs\": [\"subtotal 40, discount 0\"]}"));
    }

    @Test
    void the_switch_example_pages_for_a_high_priority() throws Exception {
        assertThat(run("switch-merge.json"))
                .isEqualTo(Json.read("{\"actions\": [\"page the on-call engineer (priority 4)\"]}"));
    }

    @Test
    void the_transform_example_labels_a_big_spender() throws Exception {
        assertThat(run("transform-if.json")).isEqualTo(Json.read("{\"label\": \"VIP: spent 245\"}"));
    }

    @Test
    void the_delay_example_waits_then_greets() throws Exception {
        assertThat(run("delay.json"))
                .isEqualTo(Json.read("{\"greeting\": \"Thanks for waiting, Ada.\", \"waited_ms\": 1500}"));
    }

    @Test
    void the_map_example_labels_every_order_in_order() throws Exception {
        assertThat(run("map.json")).isEqualTo(Json.read("{\"labels\": [{\"label\": \"#0 order A1: 120\"},"
                + " {\"label\": \"#1 order B2: 35\"}, {\"label\": \"#2 order C3: 980\"}], \"failed\": 0}"));
    }
}
