package dev.weft.run;

import dev.weft.auth.Caller;
import dev.weft.auth.Callers;
import dev.weft.event.TaskLookup;
import dev.weft.http.ApiException;
import dev.weft.http.TaskJson;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.weft.store.JdbcTaskStore;
import dev.weft.store.TaskRecord;
import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import dev.weft.task.TaskState;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;

/**
 * Acting on a task after execute: cancel it, or retry it from where it failed.
 *
 * <p>Cancelling a task that was cancelled already answers 200 with the task again (a repeated cancel is harmless);
 * cancelling one that completed or failed answers 409 ({@code task-finished}) and changes nothing.
 *
 * <p>A retry makes a new task of the same flow version, nodes and {@code node_settings}, holding copies of the
 * earlier task's finished steps: they are not run again, and the new task runs from the failed (or unfinished)
 * steps on. Only a failed or cancelled task can be retried.
 */
public final class TaskControl {

    private final JdbcTaskStore tasks;
    private final Intake intake;
    private final Callers callers;
    private final TaskLookup lookup;
    private final Cancellations cancellations;
    private final TaskAnswers answers;

    public TaskControl(JdbcTaskStore tasks, Intake intake, Callers callers, TaskLookup lookup,
                       Cancellations cancellations, TaskAnswers answers) {
        this.tasks = tasks;
        this.intake = intake;
        this.callers = callers;
        this.lookup = lookup;
        this.cancellations = cancellations;
        this.answers = answers;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/v1/task/{task_id}/cancel", this::cancel);
        routes.post("/api/v1/task/{task_id}/retry", this::retry);
    }

    private void cancel(Context ctx) {
        TaskRecord task = lookup.find(ctx, callers.require(ctx, Callers.Scope.RUN));
        if (!task.state().finished()) cancellations.cancel(task.id());
        TaskRecord now = stored(task.id());
        if (now.state() != TaskState.CANCELLED) {
            throw new ApiException(ApiException.Kind.TASK_FINISHED, "task_id", "task " + now.id() + " has "
                    + now.state().word() + " already (status " + now.state().code() + "); only a queued or running "
                    + "task can be cancelled");
        }
        ctx.json(TaskJson.task(now));
    }

    private void retry(Context ctx) {
        Caller caller = callers.require(ctx, Callers.Scope.RUN);
        TaskRecord earlier = stored(lookup.find(ctx, caller).id());
        Duration wait = answers.waitParam(ctx);
        if (earlier.state() != TaskState.FAILED && earlier.state() != TaskState.CANCELLED) {
            throw new ApiException(ApiException.Kind.TASK_NOT_RETRYABLE, "task_id", "task " + earlier.id() + " is "
                    + earlier.state().word() + " (status " + earlier.state().code() + "); only a failed or cancelled "
                    + "task can be retried");
        }
        List<StepRecord> done = tasks.reads().steps(earlier.id()).stream().filter(s -> s.state() == StepState.DONE).toList();
        TaskRecord retried = intake.start(TaskStart.retry(Intake.again(earlier, caller.keyId()), done)).accepted()
                .task();
        answers.answer(ctx, retried, wait, json -> {
            json.put("retry_of", earlier.id());
            ArrayNode reused = json.putArray("reused_steps");
            done.forEach(step -> reused.add(step.nodeId()));
        });
    }

    /** The task as the database holds it (a cancel or retry must not act on a stale copy). */
    private TaskRecord stored(long id) {
        return tasks.reads().get(id).orElseThrow(() ->
                new ApiException(ApiException.Kind.NOT_FOUND, "task_id", "task " + id + " does not exist"));
    }
}
