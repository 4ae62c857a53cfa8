package dev.weft.store;

/**
 * A task was not accepted because its flow changed since the caller looked: the flow was deleted, or a version
 * newer than the one the caller took for the latest was published (by this process or another). Nothing was
 * written; the caller reads the flow again and retries.
 */
public final class FlowChangedException extends RuntimeException {

    public FlowChangedException(long flowId, int version) {
        super("flow " + flowId + " changed (deleted, or published past version " + version + ") before the task was accepted");
    }
}
