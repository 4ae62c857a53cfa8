package dev.weft.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.task.StepEntry;
import dev.weft.task.StepRecord;
import java.util.List;
import java.util.Map;

/**
 * A task a worker has claimed: what to run, the steps already recorded by an earlier (dead) worker, and the journal
 * entries its unfinished steps recorded there.
 */
public record ClaimedTask(long taskId, long flowId, int flowVersion, String startNode, String endNode,
                          String resultNode, Map<String, JsonNode> nodeSettings, List<StepRecord> recorded,
                          List<StepEntry> entries) {

    public ClaimedTask {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }

    /** A claimed task with no journal entries (a first run). */
    public ClaimedTask(long taskId, long flowId, int flowVersion, String startNode, String endNode,
                       String resultNode, Map<String, JsonNode> nodeSettings, List<StepRecord> recorded) {
        this(taskId, flowId, flowVersion, startNode, endNode, resultNode, nodeSettings, recorded, List.of());
    }
}
