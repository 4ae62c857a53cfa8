package dev.weft.task;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * A finished step as recorded: what it got, what it emitted on which port, every attempt, and when.
 * A task's recorded steps are what a resumed task starts from: finished steps are never run again.
 * {@code renderedSettings} are the settings the step ran with after templating (the URL an http step called), or
 * null (start and end steps, steps recorded before they were kept, settings over {@link #RENDERED_SETTINGS_MAX}).
 */
public record StepRecord(String nodeId, String type, StepState state, String port, ObjectNode inputs,
                         ObjectNode outputs, TaskError error, List<Attempt> attempts, Instant startedAt,
                         Instant finishedAt, ObjectNode renderedSettings) {

    /** Rendered settings larger than this many bytes of JSON are kept as a note of their size only. */
    public static final int RENDERED_SETTINGS_MAX = 64 * 1024;

    public StepRecord {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** A step without rendered settings. */
    public StepRecord(String nodeId, String type, StepState state, String port, ObjectNode inputs, ObjectNode outputs,
                      TaskError error, List<Attempt> attempts, Instant startedAt, Instant finishedAt) {
        this(nodeId, type, state, port, inputs, outputs, error, attempts, startedAt, finishedAt, null);
    }

    public static StepRecord skipped(String nodeId, String type, Instant at) {
        return new StepRecord(nodeId, type, StepState.SKIPPED, null, null, null, null, List.of(), at, at);
    }
}
