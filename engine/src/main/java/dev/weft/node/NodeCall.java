package dev.weft.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * What one attempt of a step gets: its settings with every {@code {{ }}} reference already rendered, and the
 * input fields that edges mapped into it. Both are the step's own copies; the recorded inputs are these objects,
 * so a node reads them and builds its output in new objects.
 */
public record NodeCall(long taskId, String nodeId, ObjectNode settings, ObjectNode inputs, int attempt,
                       Duration timeout) {}
