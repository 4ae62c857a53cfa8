package dev.weft.task;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * A finished step as recorded: what it got, what it emitted on which port, every attempt, and when.
 * A task's recorded steps are what a resumed task starts from: finished steps are never run again.
 */
public record StepRecord(String nodeId, String type, StepState state, String port, ObjectNode inputs,
                         ObjectNode outputs, TaskError error, List<Attempt> attempts, Instant startedAt,
                         Instant finishedAt) {

    public StepRecord {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    public static StepRecord skipped(String nodeId, String type, Instant at) {
        return new StepRecord(nodeId, type, StepState.SKIPPED, null, null, null, null, List.of(), at, at);
    }
}
