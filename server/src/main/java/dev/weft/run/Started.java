package dev.weft.run;

import dev.weft.store.Accepted;
import dev.weft.task.TaskOutcome;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the {@link Intake} did with a task: accepted it (or found the task an earlier request made), and the path it
 * took; {@code outcome} is there when the caller can wait on it here (inline: done already; a child: its run).
 */
public record Started(Accepted accepted, Path path, Optional<CompletableFuture<TaskOutcome>> outcome) {

    /** The way a task started. */
    public enum Path {
        /** Ran on the caller's thread before it was stored, and was stored finished. */
        INLINE,
        /** Accepted claimed by this process and running on one of its worker's slots. */
        HERE,
        /** Accepted claimed by this process and running on its parent's slot. */
        PARENT_SLOT,
        /** Accepted into the queue, for whichever worker claims it first. */
        QUEUED,
        /** Not started: the accept answered with an existing task (an idempotent repeat). */
        EXISTING
    }
}
