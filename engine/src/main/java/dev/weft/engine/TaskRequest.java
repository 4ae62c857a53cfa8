package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.task.StepEntry;
import dev.weft.task.StepRecord;
import java.util.List;
import java.util.Map;

/**
 * One task to run: its id, the compiled graph, the run's {@code node_settings} overrides, the steps already
 * recorded (a resumed task does not run them again) and the journal entries its unfinished steps recorded before
 * (a resumed step starts from them).
 */
public record TaskRequest(long taskId, Graph graph, Map<String, JsonNode> nodeSettings, List<StepRecord> recorded,
                          List<StepEntry> entries) {

    public TaskRequest {
        nodeSettings = nodeSettings == null ? Map.of() : Map.copyOf(nodeSettings);
        recorded = recorded == null ? List.of() : List.copyOf(recorded);
        entries = entries == null ? List.of() : List.copyOf(entries);
    }

    /** A task whose steps recorded no journal entries. */
    public TaskRequest(long taskId, Graph graph, Map<String, JsonNode> nodeSettings, List<StepRecord> recorded) {
        this(taskId, graph, nodeSettings, recorded, List.of());
    }
}
