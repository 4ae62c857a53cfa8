package dev.weft.queue;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The queue a worker takes tasks from: the task table, seen from the worker's side. A claimed task is held under
 * a lease that the worker renews while it runs the task; a task whose lease runs out goes back to the queue.
 */
public interface TaskQueue {

    /** Claims at most {@code limit} due tasks for this worker (marking them running) and returns them. */
    List<ClaimedTask> claim(int limit);

    /**
     * Renews the leases of these tasks, which run in this process (the heartbeat); returns the ids whose lease
     * this process still holds. A queue without leases holds every task it handed out.
     */
    default Set<Long> renew(Collection<Long> taskIds) {
        return Set.copyOf(taskIds);
    }

    /**
     * Whether a claim may leave tasks in the queue although slots were free (a per-flow limit holds them back until
     * a task of their flow ends): then the worker claims again whenever one of its tasks ends.
     */
    default boolean holdsBack() {
        return false;
    }

    /**
     * Of these tasks, which ran here and whose lease {@link #renew} did not renew, those another worker may run now
     * (held by another owner, or back in the queue); a task that has finished is not among them. A queue without
     * leases has none.
     */
    default Set<Long> takenAmong(Collection<Long> taskIds) {
        return Set.of();
    }

    /**
     * Gives these tasks, claimed here and not finished, back to the queue at once, so that another worker takes
     * them over without waiting for their leases to run out (a graceful shutdown). Returns how many went back.
     */
    default int release(Collection<Long> taskIds) {
        return 0;
    }
}
