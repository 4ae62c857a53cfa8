package dev.weft.engine.testing;

import dev.weft.task.StepEntry;
import dev.weft.task.StepRecord;
import dev.weft.task.TaskJournal;
import dev.weft.task.TaskOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A journal for tests that keeps every write in order (a step recorded twice shows twice) and commits at once,
 * except the steps of nodes the test {@link #hold}s: their stage completes when the test completes it.
 */
public final class RecordingJournal implements TaskJournal {

    private final List<StepRecord> steps = new CopyOnWriteArrayList<>();
    private final Map<Long, TaskOutcome> outcomes = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> held = new ConcurrentHashMap<>();
    private final List<StepEntry> entries = new CopyOnWriteArrayList<>();
    private final Map<Long, List<StepRecord>> withOutcome = new ConcurrentHashMap<>();

    /** From now on, records of {@code nodeId} commit only when the returned future is completed. */
    public CompletableFuture<Void> hold(String nodeId) {
        return held.computeIfAbsent(nodeId, k -> new CompletableFuture<>());
    }

    @Override
    public CompletionStage<Void> stepFinished(long taskId, StepRecord step) {
        steps.add(step);
        CompletableFuture<Void> commit = held.get(step.nodeId());
        return commit == null ? CompletableFuture.completedFuture(null) : commit;
    }

    @Override
    public CompletionStage<Void> taskFinished(long taskId, TaskOutcome outcome, Instant at) {
        if (outcomes.putIfAbsent(taskId, outcome) != null) {
            throw new IllegalStateException("task " + taskId + " finished twice");
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Notes which steps came with the outcome, then writes them as the default does (each, then the outcome). */
    @Override
    public CompletionStage<Void> taskFinished(long taskId, List<StepRecord> lastSteps, TaskOutcome outcome,
                                              Instant at) {
        withOutcome.put(taskId, List.copyOf(lastSteps));
        return TaskJournal.super.taskFinished(taskId, lastSteps, outcome, at);
    }

    /** The steps handed over with the task's outcome (empty when none was), or null before its outcome. */
    public List<StepRecord> recordedWithOutcome(long taskId) {
        return withOutcome.get(taskId);
    }

    @Override
    public CompletionStage<Void> entryRecorded(long taskId, StepEntry entry) {
        entries.add(entry);
        return CompletableFuture.completedFuture(null);
    }

    /** Every journal entry written, in order (across tasks). */
    public List<StepEntry> entries() {
        return List.copyOf(entries);
    }

    /** Every step written, in order (across tasks). */
    public List<StepRecord> steps() {
        return List.copyOf(steps);
    }

    /** The records written for {@code nodeId}, in order. */
    public List<StepRecord> steps(String nodeId) {
        return steps.stream().filter(s -> s.nodeId().equals(nodeId)).toList();
    }

    /** The one record of {@code nodeId}; fails when there is none or more than one. */
    public StepRecord step(String nodeId) {
        List<StepRecord> found = steps(nodeId);
        if (found.size() != 1) throw new AssertionError("expected one record of " + nodeId + ", got " + found);
        return found.get(0);
    }

    public TaskOutcome outcome(long taskId) {
        return outcomes.get(taskId);
    }
}
