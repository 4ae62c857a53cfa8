package dev.weft.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * What one attempt of a step gets: its settings with every {@code {{ }}} reference already rendered, and the
 * input fields that edges mapped into it. Both are the step's own copies; the recorded inputs are these objects,
 * so a node reads them and builds its output in new objects.
 *
 * @param taskId   the task this step belongs to
 * @param nodeId   the node's id in the flow
 * @param settings the node's settings, rendered (except the catalogue's {@code raw} ones) and checked against the
 *                 schema; a setting the schema wants as text is text
 * @param inputs   the fields edges mapped into this step
 * @param attempt  1 for the first attempt, 2 for the first retry, and so on
 * @param timeout  the step's time limit; a blocking run is interrupted when it passes
 * @param journal  what earlier attempts of this step recorded, and where this one records its progress
 * @param deltas   where the step reports live progress (streamed text, tool calls)
 */
public record NodeCall(long taskId, String nodeId, ObjectNode settings, ObjectNode inputs, int attempt,
                       Duration timeout, Journal journal, Deltas deltas) {

    /**
     * A call with a journal in memory and no listener: for runs without a task store, and tests.
     *
     * @param taskId   the task this step belongs to
     * @param nodeId   the node's id in the flow
     * @param settings the node's settings, rendered
     * @param inputs   the fields edges mapped into this step
     * @param attempt  1 for the first attempt
     * @param timeout  the step's time limit
     */
    public NodeCall(long taskId, String nodeId, ObjectNode settings, ObjectNode inputs, int attempt,
                    Duration timeout) {
        this(taskId, nodeId, settings, inputs, attempt, timeout, Journal.memory(), Deltas.NONE);
    }
}
