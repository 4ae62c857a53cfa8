package dev.weft.task;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Where a running task's progress is recorded durably (the storage port the engine writes through).
 * A stage completes once the record is committed; the engine starts dependent steps only after that.
 */
public interface TaskJournal {

    CompletionStage<Void> stepFinished(long taskId, StepRecord step);

    CompletionStage<Void> taskFinished(long taskId, TaskOutcome outcome, Instant at);
}
