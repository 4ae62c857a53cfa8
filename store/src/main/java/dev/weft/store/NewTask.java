package dev.weft.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A task to accept: which flow version to run, between which nodes, with which overrides, for which key; a child
 * task (a subflow step's) also names its parent task and its depth (0 for a task started through the API).
 */
public record NewTask(long flowId, int flowVersion, String startNode, String endNode, String resultNode,
                      Map<String, JsonNode> nodeSettings, String keyId, Long parentTaskId, int depth) {

    /** A task started through the API: no parent. */
    public NewTask(long flowId, int flowVersion, String startNode, String endNode, String resultNode,
                   Map<String, JsonNode> nodeSettings, String keyId) {
        this(flowId, flowVersion, startNode, endNode, resultNode, nodeSettings, keyId, null, 0);
    }
}
