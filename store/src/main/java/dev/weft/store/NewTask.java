package dev.weft.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A task to accept: which flow version to run, between which nodes, with which overrides, for which key. */
public record NewTask(long flowId, int flowVersion, String startNode, String endNode, String resultNode,
                      Map<String, JsonNode> nodeSettings, String keyId) {}
