package dev.weft.task;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** How a task ended: completed with a result, failed with an error, or cancelled. */
public record TaskOutcome(TaskState state, ObjectNode result, TaskError error) {

    public static TaskOutcome completed(ObjectNode result) {
        return new TaskOutcome(TaskState.COMPLETED, result, null);
    }

    public static TaskOutcome failed(TaskError error) {
        return new TaskOutcome(TaskState.FAILED, null, error);
    }

    public static TaskOutcome cancelled() {
        return new TaskOutcome(TaskState.CANCELLED, null,
                new TaskError(ErrorTypes.CANCELLED, "the task was cancelled", null));
    }
}
