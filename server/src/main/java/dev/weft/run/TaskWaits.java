package dev.weft.run;

import dev.weft.engine.TaskListener;
import dev.weft.store.TaskRecord;
import dev.weft.task.TaskOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for tasks to finish without holding a thread or polling: a request that asks to wait ({@code ?wait=N}) gets
 * a future completed when the engine here records the task's outcome, or, for a task another process runs, when
 * that process's notification that it finished arrives ({@link #finished(long)}), or with the task as it stands
 * when the time is up. A slow safety net, one read for every task waited on ({@link #recheck()}, every
 * {@link #SAFETY_NET_DEFAULT} and whenever the notifications' connection comes back), answers a wait whose
 * notification was missed; the timeout reads the task afresh, so a wait never ends with a stale answer.
 */
public final class TaskWaits implements TaskListener, AutoCloseable {

    /** How often the tasks waited on are checked in the database, in case a notification was missed. */
    public static final Duration SAFETY_NET_DEFAULT = Duration.ofSeconds(5);
    /** How many finished tasks are remembered, for a wait registered just after its task's finish was heard. */
    static final int HEARD_MAX = 10_000;
    private static final Logger log = LoggerFactory.getLogger(TaskWaits.class);

    private final LongFunction<Optional<TaskRecord>> lookup;
    private final Function<Collection<Long>, Set<Long>> finishedAmong;
    private final Map<Long, List<CompletableFuture<Optional<TaskRecord>>>> waiting = new ConcurrentHashMap<>();
    /** Tasks heard finished lately (insertion order, bounded); guarded by itself. */
    private final Map<Long, Boolean> heard = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > HEARD_MAX;
        }
    };
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
        Thread thread = new Thread(r, "weft-waits");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * {@code lookup} reads a task as the API shows it (memory first, then the database); {@code finishedAmong} tells
     * which of some tasks have finished, in one read (the safety net, every {@code safetyNet}).
     */
    public TaskWaits(LongFunction<Optional<TaskRecord>> lookup, Function<Collection<Long>, Set<Long>> finishedAmong,
                     Duration safetyNet) {
        this.lookup = lookup;
        this.finishedAmong = finishedAmong;
        scheduler.setRemoveOnCancelPolicy(true);   // a wait answered early leaves no timer behind
        scheduler.scheduleWithFixedDelay(this::recheck, safetyNet.toMillis(), safetyNet.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * The task once finished, or as it stands after {@code max}. The caller has just seen the task unfinished (read
     * or accepted it); a finish heard since then answers at once. The future never fails for a timeout: a task still
     * running is an answer too (the API's 202).
     */
    public CompletableFuture<TaskRecord> await(long taskId, Duration max) {
        CompletableFuture<Optional<TaskRecord>> signal = new CompletableFuture<>();
        waiting.computeIfAbsent(taskId, k -> new CopyOnWriteArrayList<>()).add(signal);
        if (wasHeard(taskId)) answer(taskId);   // finished between the caller's read and now
        if (!signal.isDone()) {
            ScheduledFuture<?> timeout = scheduler.schedule(() -> signal.complete(Optional.empty()), max.toMillis(),
                    TimeUnit.MILLISECONDS);
            signal.whenComplete((finished, error) -> timeout.cancel(false));
        }
        return signal.thenApply(finished -> {
            remove(taskId, signal);
            return finished.or(() -> lookup.apply(taskId))
                    .orElseThrow(() -> new IllegalStateException("task " + taskId + " vanished"));
        });
    }

    /** The engine here recorded the task's outcome. */
    @Override
    public void taskFinished(long taskId, TaskOutcome outcome, Instant at) {
        remember(taskId);
        answer(taskId);
    }

    /**
     * Another process finished or cancelled the task (its notification): the requests waiting for it here are
     * answered, with one read of the task for all of them, off the notifications' thread.
     */
    public void finished(long taskId) {
        remember(taskId);
        if (!waiting.containsKey(taskId)) return;
        try {
            scheduler.execute(() -> answer(taskId));
        } catch (RejectedExecutionException e) {
            // closing: the waits end with the server
        }
    }

    /** The safety net: one read finds which of the tasks waited on have finished, and answers their waits. */
    public void recheck() {
        if (waiting.isEmpty()) return;
        try {
            for (long id : finishedAmong.apply(Set.copyOf(waiting.keySet()))) {
                remember(id);
                answer(id);
            }
        } catch (RuntimeException e) {
            log.debug("checking the tasks waited on failed ({}); the next check or the timeout answers", e.getMessage());
        } catch (Error e) {   // a scheduled job that throws is never run again: keep the safety net alive
            log.error("checking the tasks waited on failed; the next check or the timeout answers", e);
        }
    }

    /** How many tasks are waited on now. */
    public int waitedOn() {
        return waiting.size();
    }

    /** Answers every wait registered for the finished task, reading the task once for all of them. */
    private void answer(long taskId) {
        List<CompletableFuture<Optional<TaskRecord>>> signals = waiting.get(taskId);
        if (signals == null || signals.isEmpty()) return;
        Optional<TaskRecord> task;
        try {
            task = lookup.apply(taskId);
        } catch (RuntimeException e) {
            log.debug("reading finished task {} failed ({}); the next check or the timeout answers", taskId,
                    e.getMessage());
            return;
        }
        if (task.isEmpty() || !task.get().state().finished()) return;   // an older copy: the next check answers
        signals.forEach(s -> s.complete(task));
    }

    private void remember(long taskId) {
        synchronized (heard) {
            heard.put(taskId, Boolean.TRUE);
        }
    }

    private boolean wasHeard(long taskId) {
        synchronized (heard) {
            return heard.containsKey(taskId);
        }
    }

    private void remove(long taskId, CompletableFuture<Optional<TaskRecord>> signal) {
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
