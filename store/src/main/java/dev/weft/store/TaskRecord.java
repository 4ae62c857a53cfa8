package dev.weft.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.queue.ClaimedTask;
import dev.weft.task.StepRecord;
import dev.weft.task.TaskError;
import dev.weft.task.TaskState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task as stored (in its flow's workspace): its state, and once finished its result or error; a child task (run by a subflow step) names
 * its parent task and its depth.
 */
public record TaskRecord(long id, long flowId, int flowVersion, TaskState state, String startNode, String endNode,
                         String resultNode, JsonNode nodeSettings, JsonNode result, TaskError error, String keyId,
                         Instant createdAt, Instant startedAt, Instant finishedAt, Long parentTaskId, int depth,
                         long workspaceId) {

    /** A task of the default workspace. */
    public TaskRecord(long id, long flowId, int flowVersion, TaskState state, String startNode, String endNode,
                      String resultNode, JsonNode nodeSettings, JsonNode result, TaskError error, String keyId,
                      Instant createdAt, Instant startedAt, Instant finishedAt, Long parentTaskId, int depth) {
        this(id, flowId, flowVersion, state, startNode, endNode, resultNode, nodeSettings, result, error, keyId,
                createdAt, startedAt, finishedAt, parentTaskId, depth, Database.DEFAULT_WORKSPACE);
    }

    /** A task with no parent. */
    public TaskRecord(long id, long flowId, int flowVersion, TaskState state, String startNode, String endNode,
                      String resultNode, JsonNode nodeSettings, JsonNode result, TaskError error, String keyId,
                      Instant createdAt, Instant startedAt, Instant finishedAt) {
        this(id, flowId, flowVersion, state, startNode, endNode, resultNode, nodeSettings, result, error, keyId,
                createdAt, startedAt, finishedAt, null, 0);
    }

    /** Whether this is a test-run of a draft (its version is a draft snapshot): shown to the admin only. */
    public boolean draft() {
        return FlowVersion.isDraft(flowVersion);
    }

    /** This task as claimed by this process (accepted claimed), with {@code recorded} steps done already. */
    public ClaimedTask claim(List<StepRecord> recorded) {
        return new ClaimedTask(id, flowId, flowVersion, startNode, endNode, resultNode, settingsByNode(), recorded);
    }

    /** A copy of the run's {@code node_settings} overrides by node id (empty when there are none). */
    public Map<String, JsonNode> settingsByNode() {
        Map<String, JsonNode> byNode = new LinkedHashMap<>();
        if (nodeSettings != null) {
            nodeSettings.fields().forEachRemaining(e -> byNode.put(e.getKey(), e.getValue().deepCopy()));
        }
        return byNode;
    }
}
