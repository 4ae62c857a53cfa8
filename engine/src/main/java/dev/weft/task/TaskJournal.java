package dev.weft.task;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where a running task's progress is recorded durably (the storage port the engine writes through).
 * A stage completes once the record is committed; the engine starts dependent steps that reach outside the process
 * only after that.
 */
public interface TaskJournal {

    CompletionStage<Void> stepFinished(long taskId, StepRecord step);

    CompletionStage<Void> taskFinished(long taskId, TaskOutcome outcome, Instant at);

    /**
     * Records a task's last finished steps together with its outcome: the engine hands over the steps after which
     * nothing but pure nodes ran, so that they cost no commit of their own. The stage completes once all of them
     * are committed; a journal that can (a database) commits them in one transaction, so that either all of them
     * or none is recorded. This default writes the steps one after the other, then the outcome.
     *
     * @param taskId    the task
     * @param lastSteps finished steps not recorded yet, in the order they finished (may be empty)
     * @param outcome   how the task ended
     * @param at        when it ended
     * @return completes when everything is recorded
     */
    default CompletionStage<Void> taskFinished(long taskId, List<StepRecord> lastSteps, TaskOutcome outcome,
                                               Instant at) {
        CompletionStage<Void> written = CompletableFuture.completedFuture(null);
        for (StepRecord step : lastSteps) written = written.thenCompose(v -> stepFinished(taskId, step));
        return written.thenCompose(v -> taskFinished(taskId, outcome, at));
    }

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
