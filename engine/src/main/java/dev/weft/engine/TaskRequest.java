package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.task.StepRecord;
import java.util.List;
import java.util.Map;

/**
 * One task to run: its id, the compiled graph, the run's {@code node_settings} overrides and the steps already
 * recorded (a resumed task does not run them again).
 */
public record TaskRequest(long taskId, Graph graph, Map<String, JsonNode> nodeSettings, List<StepRecord> recorded) {

    public TaskRequest {
        nodeSettings = nodeSettings == null ? Map.of() : Map.copyOf(nodeSettings);
        recorded = recorded == null ? List.of() : List.copyOf(recorded);
    }
}
