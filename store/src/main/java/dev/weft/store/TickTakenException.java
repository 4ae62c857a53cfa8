package dev.weft.store;

/**
 * A tick that was claimed already but whose task no longer exists (retention deleted it): the tick ran once, so it
 * is not run again and there is no task to answer with.
 */
public final class TickTakenException extends RuntimeException {

    public TickTakenException(long scheduleId, long dueAt) {
        super("tick " + dueAt + " of schedule " + scheduleId + " ran already", null, false, false);
    }
}
