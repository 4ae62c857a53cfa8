package dev.weft.store;

/**
 * A write for a task that this process no longer holds: its lease ran out and the task was re-queued (and maybe
 * claimed by another worker), or it already finished. The write was refused, so a process that lost a task cannot
 * overwrite what the task's new owner records.
 */
public final class LeaseLostException extends StoreException {

    public LeaseLostException(long taskId, String owner) {
        super("task " + taskId + " is no longer held by " + owner + ": its lease ran out and it went back to the "
                + "queue, or it has finished", null);
    }
}
