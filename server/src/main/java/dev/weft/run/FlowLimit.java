package dev.weft.run;

import dev.weft.http.ApiException;
import dev.weft.queue.TaskQueue;
import dev.weft.store.JdbcTaskQueue;
import dev.weft.store.JdbcTaskReads;
import java.time.Duration;

/**
 * The per-flow concurrency limit: at most {@code max} tasks of one flow at once. In {@code reject} mode an execute
 * is refused (429 with {@code Retry-After}) while the flow has {@code max} tasks queued or running; in {@code queue}
 * mode every execute is accepted, and the worker starts a flow's queued tasks only while fewer than {@code max} of
 * them run (the queue's {@link JdbcTaskQueue#underFlowLimit} variant, chosen at wiring by {@link #queue}). Counted
 * in the database, so the limit holds across processes; requests or claims at the same moment may overshoot it by a
 * few (counting and starting are not one step).
 */
public final class FlowLimit {

    public static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final JdbcTaskReads tasks;
    private final int max;
    private final boolean queues;

    /** {@code max <= 0}: no limit. */
    public FlowLimit(JdbcTaskReads tasks, int max, boolean queues) {
        this.tasks = tasks;
        this.max = max;
        this.queues = queues;
    }

    /** In reject mode, 429 when the flow has {@code max} unfinished tasks already. */
    public void check(long flowId) {
        if (max <= 0 || queues) return;
        long unfinished = tasks.unfinishedOfFlow(flowId);
        if (unfinished >= max) {
            throw new ApiException(ApiException.Kind.FLOW_BUSY, "flow_id", "flow " + flowId + " has " + unfinished
                    + " tasks queued or running, its limit is " + max + "; try again when one has finished")
                    .retryAfter(RETRY_AFTER);
        }
    }

    /** Whether a task of the flow may start now, straight from its execute (in queue mode: the flow has room). */
    public boolean mayStart(long flowId) {
        return max <= 0 || !queues || tasks.runningOfFlow(flowId) < max;
    }

    /** The queue the worker takes tasks from: in queue mode, the store's claim that leaves flows at their limit waiting. */
    public TaskQueue queue(JdbcTaskQueue plain) {
        return plain.underFlowLimit(max > 0 && queues ? max : 0);
    }
}
