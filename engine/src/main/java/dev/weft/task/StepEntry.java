package dev.weft.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One entry of a step's journal ({@link dev.weft.node.Journal}) as stored: an agent's finished model call or tool
 * call, kept so that the step resumes past it after a crash. Entries are written while the step runs, under the
 * task's lease, and kept after it finishes.
 *
 * @param nodeId     the step's node
 * @param seq        the entry's place among the step's entries (they are read back in this order)
 * @param key        the node's key for the entry, unique within the step
 * @param value      what the node recorded
 * @param recordedAt when it was recorded
 */
public record StepEntry(String nodeId, int seq, String key, JsonNode value, Instant recordedAt) {}
