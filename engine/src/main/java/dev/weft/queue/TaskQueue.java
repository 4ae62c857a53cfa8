package dev.weft.queue;

import dev.weft.flow.Flow;
import java.util.List;

/** The queue a worker takes tasks from: the task table, seen from the worker's side. */
public interface TaskQueue {

    /** Claims at most {@code limit} due tasks for this worker (marking them running) and returns them. */
    List<ClaimedTask> claim(int limit);

    /** The parsed document of a published flow version (immutable, so callers may cache it). */
    Flow flowVersion(long flowId, int version);
}
