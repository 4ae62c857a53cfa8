package dev.weft.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.auth.Callers;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowNode;
import dev.weft.json.Json;
import dev.weft.store.JdbcTaskStore;
import dev.weft.store.TaskRecord;
import dev.weft.task.StepRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/task/{id}/events}: the task's progress as Server-Sent Events — task.started, step.started,
 * step.finished (with the step's outputs unless they are over {@link #OUTPUTS_INLINE_MAX} bytes), step.failed,
 * task.finished (the task JSON), after which the stream ends. A stream opened on a task under way or finished
 * first replays what the database holds; {@code Last-Event-ID} (or {@code ?last_event_id=}) resumes after the
 * events a client has seen. step.started and delta (a running step's text and tool calls, see
 * {@link TaskEvents#deltas}) are live only. Closing a stream changes nothing about the task.
 */
public final class EventsApi {

    public static final int OUTPUTS_INLINE_MAX = 64 * 1024;

    private final JdbcTaskStore tasks;
    private final Callers callers;
    private final TaskLookup lookup;
    private final TaskEvents events;
    private final EventStream.Source source;

    public EventsApi(JdbcTaskStore tasks, Callers callers, TaskLookup lookup, TaskEvents events) {
        this.tasks = tasks;
        this.callers = callers;
        this.lookup = lookup;
        this.events = events;
        this.source = new EventStream.Source() {
            @Override
            public TaskRecord task(long taskId) {
                return lookup.lookup(taskId).orElse(null);
            }

            @Override
            public List<StepRecord> steps(long taskId, boolean afterQueuedWrites) {
                return afterQueuedWrites ? tasks.reads().stepsAfterQueuedWrites(taskId) : tasks.reads().steps(taskId);
            }

            @Override
            public Map<String, Integer> nodeIndex(TaskRecord task) {
                return EventsApi.this.nodeIndex(task);
            }
        };
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/v1/task/{task_id}/events", this::stream);
    }

    private void stream(Context ctx) {
        TaskRecord task = lookup.find(ctx, callers.require(ctx, Callers.Scope.RUN));
        String last = ctx.header("Last-Event-ID");
        if (last == null || last.isBlank()) last = ctx.queryParam("last_event_id");
        EventCursor cursor = last == null || last.isBlank() ? EventCursor.fresh() : EventCursor.resume(last.trim());
        open(ctx, task, cursor, null);
    }

    /**
     * Answers a request with the events of a task just accepted, as {@code POST .../execute?stream=true} does: a
     * first {@code task.accepted} event with {@code accepted} (the JSON an execute answers without the parameter,
     * its {@code id} the task's), then the task's events as {@code /events} sends them, until the task finishes.
     */
    public void streamAccepted(Context ctx, TaskRecord task, ObjectNode accepted) {
        open(ctx, task, EventCursor.fresh(), accepted);
    }

    private void open(Context ctx, TaskRecord task, EventCursor cursor,
                      ObjectNode accepted) {
        // as Javalin's own SSE handler: the connection closes with the stream, so every client sees its end
        ctx.status(200).contentType("text/event-stream").header("Cache-Control", "no-cache")
                .header("Connection", "close").header("X-Accel-Buffering", "no");
        ctx.res().setCharacterEncoding("UTF-8");
        try {
            ctx.res().flushBuffer();
        } catch (java.io.IOException e) {
            return;   // the client left already
        }
        SseClient client = new SseClient(ctx);
        if (accepted != null) client.sendEvent("task.accepted", Json.write(accepted));
        EventStream stream = new EventStream(task.id(), client, cursor, source, events.pool(), OUTPUTS_INLINE_MAX,
                events::remove);
        events.add(stream);
        client.keepAlive();
        stream.start();
    }

    /** Bit positions of the cursor: each node's place in its flow version (parsed once, by the store). */
    private Map<String, Integer> nodeIndex(TaskRecord task) {
        Flow flow = tasks.flowVersion(task.flowId(), task.flowVersion());
        Map<String, Integer> index = new HashMap<>();
        List<FlowNode> nodes = flow.nodes();
        for (int i = 0; i < nodes.size(); i++) index.putIfAbsent(nodes.get(i).id(), i);
        return index;
    }
}
