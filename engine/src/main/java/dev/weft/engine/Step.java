package dev.weft.engine;

import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import java.time.Instant;

/** The planner's view of one node in a running task. */
sealed interface Step permits Step.Running, Step.Waiting, Step.Finished {

    /** An attempt is under way, or its result is being recorded. */
    record Running(int attempt, Instant startedAt) implements Step {}

    /** A failed attempt waits for its backoff before attempt {@code nextAttempt}. */
    record Waiting(int nextAttempt, Instant dueAt) implements Step {}

    /** Recorded: done (on some port), skipped or failed. */
    record Finished(StepRecord record) implements Step {
        boolean emitted(String port) {
            return record.state() == StepState.DONE && port != null && port.equals(record.port());
        }
    }
}
