package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.node.Deltas;
import dev.weft.task.StepRecord;
import dev.weft.task.TaskOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

            @Override
            public Deltas deltas(long taskId, String nodeId, int attempt) {
                List<Deltas> all = new ArrayList<>();
                for (TaskListener l : listeners) {
                    Deltas d = l.deltas(taskId, nodeId, attempt);
                    if (d != Deltas.NONE) all.add(d);
                }
                return all.isEmpty() ? Deltas.NONE : all.size() == 1 ? all.get(0) : fanOut(all);
            }
        };
    }

    private static Deltas fanOut(List<Deltas> all) {
        return new Deltas() {
            @Override
            public void text(String text) {
                for (Deltas d : all) d.text(text);
            }

            @Override
            public void toolStarted(String callId, String tool, JsonNode arguments) {
                for (Deltas d : all) d.toolStarted(callId, tool, arguments);
            }

            @Override
            public void toolEnded(String callId, String tool, boolean ok, long durationMs) {
                for (Deltas d : all) d.toolEnded(callId, tool, ok, durationMs);
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

    /**
     * Where one attempt of a step reports live progress (streamed text, tool calls): {@link Deltas#NONE} unless
     * this listener passes deltas on. Asked once per attempt, as the attempt starts; the deltas it returns are
     * called from any thread and must not block.
     */
    default Deltas deltas(long taskId, String nodeId, int attempt) {
        return Deltas.NONE;
    }
}
