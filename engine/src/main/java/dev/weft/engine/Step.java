package dev.weft.engine;

import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import java.time.Instant;

/**
 * Where one node of a running task is in its lifecycle: {@link Running}, then either {@link Finished} or, after a
 * failed attempt that may be retried, {@link Waiting} and {@link Running} again. A node without a step has not
 * started. Only a finished step is recorded, with its {@link StepState} ({@code done}, {@code skipped} or
 * {@code failed}: the step's {@code state} in the API); the lifecycle itself lives only in the planner's view.
 */
sealed interface Step permits Step.Running, Step.Waiting, Step.Finished {

    /** An attempt is under way, or its result is being recorded. */
    record Running(int attempt, Instant startedAt) implements Step {}

    /** A failed attempt waits for its backoff before attempt {@code nextAttempt}. */
    record Waiting(int nextAttempt, Instant dueAt) implements Step {}

    /** Finished and recorded: how it finished is its record's {@link StepState}. */
    record Finished(StepRecord record) implements Step {

        StepState state() {
            return record.state();
        }

        /** Whether the step is done and emitted on {@code port}. */
        boolean emitted(String port) {
            return state() == StepState.DONE && port != null && port.equals(record.port());
        }
    }
}
