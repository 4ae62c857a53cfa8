package dev.weft.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A task to accept: which flow version to run, between which nodes, with which overrides, for which key; a child
 * task (a subflow step's) also names its parent task and its depth (0 for a task started through the API).
 * {@code asLatest}: the version is the flow's latest as the caller last knew it (perhaps from a cache), and the
 * accept refuses the task ({@link FlowChangedException}) when a newer one has been published since.
 */
public record NewTask(long flowId, int flowVersion, String startNode, String endNode, String resultNode,
                      Map<String, JsonNode> nodeSettings, String keyId, Long parentTaskId, int depth,
                      boolean asLatest) {

    /** A task of a version the caller chose: the accept checks only that the flow still exists. */
    public NewTask(long flowId, int flowVersion, String startNode, String endNode, String resultNode,
                   Map<String, JsonNode> nodeSettings, String keyId, Long parentTaskId, int depth) {
        this(flowId, flowVersion, startNode, endNode, resultNode, nodeSettings, keyId, parentTaskId, depth, false);
    }

    /** A task started through the API: no parent. */
    public NewTask(long flowId, int flowVersion, String startNode, String endNode, String resultNode,
                   Map<String, JsonNode> nodeSettings, String keyId) {
        this(flowId, flowVersion, startNode, endNode, resultNode, nodeSettings, keyId, null, 0);
    }
}
