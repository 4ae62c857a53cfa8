package dev.weft.api;

import dev.weft.engine.TaskListener;
import dev.weft.store.TaskRecord;
import dev.weft.task.TaskOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * Waits for tasks to finish without holding a thread: a request that asks to wait ({@code ?wait=N}) gets a future
 * completed when the engine here records the task's outcome, or, for a task another process runs, when a periodic
 * check finds it finished, or with the task as it stands when the time is up.
 */
public final class TaskWaits implements TaskListener, AutoCloseable {

    /** How often tasks run by another process are looked up while someone waits for them. */
    public static final Duration CHECK_EVERY = Duration.ofMillis(100);

    private final LongFunction<Optional<TaskRecord>> lookup;
    private final Map<Long, List<CompletableFuture<Boolean>>> waiting = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
        Thread thread = new Thread(r, "weft-waits");
        thread.setDaemon(true);
        return thread;
    });

    /** {@code lookup} reads a task as the API shows it (memory first, then the database). */
    public TaskWaits(LongFunction<Optional<TaskRecord>> lookup) {
        this.lookup = lookup;
        scheduler.setRemoveOnCancelPolicy(true);   // a wait answered early leaves no timer behind
        scheduler.scheduleWithFixedDelay(this::checkOthers, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * The task once finished, or as it stands after {@code max}. The future never fails for a timeout: a task still
     * running is an answer too (the API's 202).
     */
    public CompletableFuture<TaskRecord> await(long taskId, Duration max) {
        CompletableFuture<Boolean> signal = new CompletableFuture<>();
        waiting.computeIfAbsent(taskId, k -> new CopyOnWriteArrayList<>()).add(signal);
        Optional<TaskRecord> now = lookup.apply(taskId);
        if (now.isPresent() && now.get().state().finished()) signal.complete(true);
        if (!signal.isDone()) {
            ScheduledFuture<?> timeout = scheduler.schedule(() -> signal.complete(false), max.toMillis(),
                    TimeUnit.MILLISECONDS);
            signal.whenComplete((finished, error) -> timeout.cancel(false));
        }
        return signal.thenApply(finished -> {
            remove(taskId, signal);
            return lookup.apply(taskId).orElseThrow(() -> new IllegalStateException("task " + taskId + " vanished"));
        });
    }

    @Override
    public void taskFinished(long taskId, TaskOutcome outcome, Instant at) {
        List<CompletableFuture<Boolean>> signals = waiting.get(taskId);
        if (signals != null) signals.forEach(s -> s.complete(true));
    }

    private void checkOthers() {
        for (Map.Entry<Long, List<CompletableFuture<Boolean>>> entry : waiting.entrySet()) {
            try {
                Optional<TaskRecord> task = lookup.apply(entry.getKey());
                if (task.isPresent() && task.get().state().finished()) entry.getValue().forEach(s -> s.complete(true));
            } catch (RuntimeException e) {
                // the database did not answer this round; the next round or the timeout answers the waiter
            }
        }
    }

    private void remove(long taskId, CompletableFuture<Boolean> signal) {
        waiting.computeIfPresent(taskId, (id, list) -> {
            list.remove(signal);
            return list.isEmpty() ? null : list;
        });
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
