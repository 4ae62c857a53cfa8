package dev.weft.task;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** A journal that keeps records in memory: for {@code weft run} (no server) and engine tests. */
public final class InMemoryJournal implements TaskJournal {

    private final Map<Long, List<StepRecord>> steps = new ConcurrentHashMap<>();
    private final Map<Long, TaskOutcome> outcomes = new ConcurrentHashMap<>();
    private final Map<Long, List<StepEntry>> entries = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Void> stepFinished(long taskId, StepRecord step) {
        List<StepRecord> list = steps.computeIfAbsent(taskId, k -> new ArrayList<>());
        synchronized (list) {
            list.removeIf(s -> s.nodeId().equals(step.nodeId()));
            list.add(step);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> taskFinished(long taskId, TaskOutcome outcome, Instant at) {
        outcomes.put(taskId, outcome);
        return CompletableFuture.completedFuture(null);
    }

    /** Keeps the entry (replacing one of the same step and key), as the database does. */
    @Override
    public CompletionStage<Void> entryRecorded(long taskId, StepEntry entry) {
        List<StepEntry> list = entries.computeIfAbsent(taskId, k -> new ArrayList<>());
        synchronized (list) {
            list.removeIf(e -> e.nodeId().equals(entry.nodeId()) && e.key().equals(entry.key()));
            list.add(entry);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** The task's journal entries in the order they were recorded: what a resumed run of it is given. */
    public List<StepEntry> entries(long taskId) {
        List<StepEntry> list = entries.getOrDefault(taskId, List.of());
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    /** The task's recorded steps in the order they finished. */
    public List<StepRecord> steps(long taskId) {
        List<StepRecord> list = steps.getOrDefault(taskId, List.of());
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    public TaskOutcome outcome(long taskId) {
        return outcomes.get(taskId);
    }
}
