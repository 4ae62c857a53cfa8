package dev.weft.engine;

import dev.weft.task.TaskOutcome;
import java.time.Instant;
import java.util.List;

/**
 * What to do next in a task, as decided by {@link Planner}: steps to start, steps to record as skipped, when to
 * look again (a retry's backoff), or how the task ends.
 */
record Plan(List<String> start, List<String> skip, Instant wakeAt, TaskOutcome outcome) {}
