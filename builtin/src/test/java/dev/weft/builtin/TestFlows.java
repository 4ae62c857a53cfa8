package dev.weft.builtin;

import dev.weft.engine.Graph;
import dev.weft.engine.TaskRequest;
import dev.weft.engine.testing.TestEngine;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowValidator;
import dev.weft.json.Json;
import dev.weft.registry.NodeRegistry;
import dev.weft.task.TaskOutcome;
import java.util.List;
import java.util.Map;

/** Runs a flow document of built-in nodes to its end, in memory, on the calling thread. */
final class TestFlows {

    private static final NodeRegistry REGISTRY = BuiltinNodes.registry(HttpNode.Options.DEFAULT);

    private TestFlows() {}

    /** Checks {@code document} as a save would, then runs it from {@code start} with {@code inputs} as its data. */
    static TaskOutcome run(String document, String inputs) throws Exception {
        Flow flow = new FlowValidator(REGISTRY).check(Json.read(document));
        Graph graph = Graph.compile(flow, REGISTRY, "start", "end", "end");
        try (TestEngine engine = TestEngine.direct()) {
            return engine.start(new TaskRequest(1, graph, Map.of("start", Json.read("{\"data\": " + inputs + "}")),
                    List.of())).get();
        }
    }
}
