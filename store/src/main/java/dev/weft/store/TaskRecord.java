package dev.weft.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.task.TaskError;
import dev.weft.task.TaskState;
import java.time.Instant;

/** A task as stored: its state, and once finished its result or error. */
public record TaskRecord(long id, long flowId, int flowVersion, TaskState state, String startNode, String endNode,
                         String resultNode, JsonNode nodeSettings, JsonNode result, TaskError error, String keyId,
                         Instant createdAt, Instant startedAt, Instant finishedAt) {}
