package dev.weft.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.task.StepRecord;
import java.util.List;
import java.util.Map;

/** A task a worker has claimed: what to run, and the steps already recorded by an earlier (dead) worker. */
public record ClaimedTask(long taskId, long flowId, int flowVersion, String startNode, String endNode,
                          String resultNode, Map<String, JsonNode> nodeSettings, List<StepRecord> recorded) {}
