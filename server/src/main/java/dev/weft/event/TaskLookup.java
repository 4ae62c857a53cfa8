package dev.weft.event;

import dev.weft.auth.Caller;
import dev.weft.http.ApiException;
import dev.weft.http.Bodies;
import dev.weft.store.JdbcTaskStore;
import dev.weft.store.TaskRecord;
import io.javalin.http.Context;
import java.util.Optional;
import org.slf4j.MDC;

/** Finds the task a request names: from memory when this process runs it, else from the database. */
public final class TaskLookup {

    private final RecentTasks recent;
    private final JdbcTaskStore tasks;

    public TaskLookup(RecentTasks recent, JdbcTaskStore tasks) {
        this.recent = recent;
        this.tasks = tasks;
    }

    /** The task, from memory (then without its {@code node_settings}, which no answer shows) or the database. */
    public Optional<TaskRecord> lookup(long id) {
        return recent.get(id).or(() -> tasks.reads().get(id));
    }

    /**
     * The task named by the {@code task_id} path parameter (404 when none, and when it is another workspace's: the
     * same answer, checked against the row already read), if {@code caller} may see it (403).
     */
    public TaskRecord find(Context ctx, Caller caller) {
        long id = Bodies.id(ctx, "task_id", "task");
        TaskRecord task = lookup(id).filter(found -> caller.sees(found.workspaceId())).orElseThrow(() ->
                new ApiException(ApiException.Kind.NOT_FOUND, "task_id", "task " + id + " does not exist"));
        MDC.put("task_id", String.valueOf(task.id()));
        MDC.put("flow_id", String.valueOf(task.flowId()));
        // a test-run of a draft is the admin's: to a server key it does not exist
        if (task.draft() && caller.key() != null) {
            throw new ApiException(ApiException.Kind.NOT_FOUND, "task_id", "task " + id + " does not exist");
        }
        caller.checkFlow(task.flowId());
        return task;
    }
}
