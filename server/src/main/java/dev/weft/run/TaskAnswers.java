package dev.weft.run;

import dev.weft.http.ApiException;
import dev.weft.http.TaskJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.store.TaskRecord;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Answers a request with a task, at once or, with {@code ?wait=N}, once it finishes (200) or when the wait is over
 * (202, still queued or running). No thread is held while waiting.
 */
public final class TaskAnswers {

    private final TaskWaits waits;
    private final Duration waitMax;

    public TaskAnswers(TaskWaits waits, Duration waitMax) {
        this.waits = waits;
        this.waitMax = waitMax;
    }

    public void answer(Context ctx, TaskRecord task, Duration wait) {
        answer(ctx, task, wait, json -> {});
    }

    /** Answers with the task JSON, to which {@code extra} adds fields. */
    public void answer(Context ctx, TaskRecord task, Duration wait, Consumer<ObjectNode> extra) {
        if (wait.isZero() || task.state().finished()) {
            ObjectNode json = TaskJson.task(task);
            extra.accept(json);
            ctx.json(json);
            return;
        }
        ctx.future(() -> waits.await(task.id(), wait).thenAccept(now -> {
            ObjectNode json = TaskJson.task(now);
            extra.accept(json);
            ctx.status(now.state().finished() ? 200 : 202).json(json);
        }));
    }

    /** {@code ?wait=N}: seconds (decimals allowed) to wait for the task to finish, capped by the server's maximum. */
    public Duration waitParam(Context ctx) {
        String raw = ctx.queryParam("wait");
        if (raw == null || raw.isBlank()) return Duration.ZERO;
        double seconds;
        try {
            seconds = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "wait",
                    "must be a number of seconds from 0 to " + waitMax.toSeconds() + " (got '" + raw + "')");
        }
        Duration wait = Duration.ofMillis((long) (seconds * 1000));
        return wait.compareTo(waitMax) > 0 ? waitMax : wait;
    }
}
