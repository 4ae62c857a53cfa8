package dev.weft.task;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where a running task's progress is recorded durably (the storage port the engine writes through).
 * A stage completes once the record is committed; the engine starts dependent steps only after that.
 */
public interface TaskJournal {

    CompletionStage<Void> stepFinished(long taskId, StepRecord step);

    CompletionStage<Void> taskFinished(long taskId, TaskOutcome outcome, Instant at);

    /**
     * Records one entry of a running step's journal, under the same rule as {@link #stepFinished}: the stage
     * completes once the entry is committed, and fails when this process no longer holds the task. A journal that
     * keeps no entries (in-memory sub-flows, benchmarks) accepts them at once; the step still keeps them in memory
     * for its retries.
     *
     * @param taskId the running task
     * @param entry  the entry
     * @return completes when recorded
     */
    default CompletionStage<Void> entryRecorded(long taskId, StepEntry entry) {
        return CompletableFuture.completedFuture(null);
    }
}
