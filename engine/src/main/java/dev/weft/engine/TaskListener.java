package dev.weft.engine;

import dev.weft.task.StepRecord;
import dev.weft.task.TaskOutcome;
import java.time.Instant;

/** Hears a task's progress as it happens (live views, metrics); called on engine threads, must not block. */
public interface TaskListener {

    TaskListener NONE = new TaskListener() {};

    /** One listener that tells each of {@code listeners}, in order. */
    static TaskListener of(TaskListener... listeners) {
        return new TaskListener() {
            @Override
            public void stepStarted(long taskId, String nodeId, int attempt, Instant at) {
                for (TaskListener l : listeners) l.stepStarted(taskId, nodeId, attempt, at);
            }

            @Override
            public void stepFinished(long taskId, StepRecord step) {
                for (TaskListener l : listeners) l.stepFinished(taskId, step);
            }

            @Override
            public void taskAbandoned(long taskId) {
                for (TaskListener l : listeners) l.taskAbandoned(taskId);
            }

            @Override
            public void taskFinished(long taskId, TaskOutcome outcome, Instant at) {
                for (TaskListener l : listeners) l.taskFinished(taskId, outcome, at);
            }
        };
    }

    default void stepStarted(long taskId, String nodeId, int attempt, Instant at) {}

    default void stepFinished(long taskId, StepRecord step) {}

    /**
     * This process stopped running the task without recording an outcome (its lease was lost, or it was released at
     * shutdown): whatever it knows of the task is stale.
     */
    default void taskAbandoned(long taskId) {}

    /** The task's outcome is recorded (committed) at {@code at}. */
    default void taskFinished(long taskId, TaskOutcome outcome, Instant at) {}
}
