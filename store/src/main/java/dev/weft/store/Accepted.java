package dev.weft.store;

/**
 * The answer to an accept: a task made now ({@link New}), or the existing task an idempotency key or the like named
 * ({@link Existing}: nothing was inserted).
 */
public sealed interface Accepted permits Accepted.New, Accepted.Existing {

    /** The task, as stored. */
    TaskRecord task();

    /** Whether the task was made by this accept. */
    default boolean created() {
        return this instanceof New;
    }

    /** A task inserted by this accept. */
    record New(TaskRecord task) implements Accepted {}

    /** An earlier task the accept answered with instead of inserting one (an idempotent repeat). */
    record Existing(TaskRecord task) implements Accepted {}
}
