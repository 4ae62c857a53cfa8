package dev.weft.engine;

import dev.weft.task.StepRecord;
import dev.weft.task.TaskOutcome;
import java.time.Instant;

/** Hears a task's progress as it happens (live views, metrics); called on engine threads, must not block. */
public interface TaskListener {

    TaskListener NONE = new TaskListener() {};

    default void stepStarted(long taskId, String nodeId, int attempt, Instant at) {}

    default void stepFinished(long taskId, StepRecord step) {}

    /** The task's outcome is recorded (committed) at {@code at}. */
    default void taskFinished(long taskId, TaskOutcome outcome, Instant at) {}
}
