package dev.weft.event;

import dev.weft.http.TaskJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.store.TaskRecord;
import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import io.javalin.http.sse.SseClient;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One client's stream of one task's events. Everything it does runs in order, one piece at a time, on whichever
 * thread submits work when it is idle (the request thread first, then the shared stream pool), so the engine's
 * threads never write to a socket. It sends each finished step once ({@link EventCursor}), whether the step came
 * from the database (the replay at connect, or a check of a task run by another process) or live from the engine.
 */
final class EventStream {

    /** Where a stream gets the task's recorded state and node order. */
    interface Source {
        TaskRecord task(long taskId);

        /**
         * The recorded steps; {@code afterQueuedWrites}: also those whose writes this process queued before the call
         * (the engine queues a step's write, then tells listeners: a stream that has just registered reads this way,
         * so that each step is either read or heard live).
         */
        List<StepRecord> steps(long taskId, boolean afterQueuedWrites);

        /** The flow version's node ids, index = bit of the cursor. */
        Map<String, Integer> nodeIndex(TaskRecord task);
    }

    private final long taskId;
    private final SseClient client;
    private final EventCursor cursor;
    private final Source source;
    private final Executor pool;
    private final int outputsInlineMax;
    private final Consumer<EventStream> onEnd;
    private final Deque<Runnable> work = new ArrayDeque<>();
    /** The text delta waiting in {@link #work}, to which later pieces of the same attempt are added. */
    private PendingText pendingText;
    private Map<String, Integer> nodes;
    private boolean running;
    private boolean ended;
    private volatile long lastLive;

    EventStream(long taskId, SseClient client, EventCursor cursor, Source source, Executor pool, int outputsInlineMax,
                Consumer<EventStream> onEnd) {
        this.taskId = taskId;
        this.client = client;
        this.cursor = cursor;
        this.source = source;
        this.pool = pool;
        this.outputsInlineMax = outputsInlineMax;
        this.onEnd = onEnd;
        client.onClose(this::closed);
    }

    long taskId() {
        return taskId;
    }

    /** Millis (System.nanoTime based) of the last live event; the stream checks the database when none came. */
    long lastLive() {
        return lastLive;
    }

    /** Replays what the database holds, on the calling thread, then whatever arrived live meanwhile. */
    void start() {
        submit(() -> sync(true), false);
    }

    /** Checks the database for what the stream has not sent yet (a task another process runs). */
    void check() {
        submit(() -> sync(false), true);
    }

    void stepStarted(String nodeId, int attempt, Instant at) {
        lastLive = System.nanoTime();
        submit(() -> {
            Integer index = index(nodeId);
            if (index == null || cursor.finished(index)) return;
            taskStarted(at);
            ObjectNode data = Json.object().put("task_id", taskId).put("node_id", nodeId).put("attempt", attempt);
            TaskJson.time(data, "started_at", at);
            send("step.started", data);
        }, true);
    }

    /**
     * A piece of text a running step produced: a {@code delta} event without an id (live only, nothing to resume),
     * sent while the step has not finished. Pieces that queue up while the stream is busy go out as one event.
     */
    void deltaText(String nodeId, int attempt, String text) {
        lastLive = System.nanoTime();
        synchronized (work) {
            if (pendingText != null && pendingText.nodeId.equals(nodeId) && pendingText.attempt == attempt) {
                pendingText.text.append(text);
                return;
            }
            PendingText pending = new PendingText(nodeId, attempt, new StringBuilder(text));
            pendingText = pending;
            submitLocked(() -> {
                String joined;
                synchronized (work) {
                    joined = pending.text.toString();
                    if (pendingText == pending) pendingText = null;
                }
                delta(nodeId, attempt, data -> data.put("text", joined));
            });
        }
    }

    /** A tool call of a running step started ({@code ok} null) or ended: a {@code delta} event with {@code tool_call}. */
    void deltaTool(String nodeId, int attempt, String callId, String tool, Boolean ok, long durationMs) {
        lastLive = System.nanoTime();
        synchronized (work) {
            pendingText = null;
            submitLocked(() -> delta(nodeId, attempt, data -> {
                ObjectNode call = data.putObject("tool_call").put("id", callId).put("name", tool)
                        .put("phase", ok == null ? "started" : "ended");
                if (ok != null) call.put("ok", ok).put("duration_ms", durationMs);
            }));
        }
    }

    private void delta(String nodeId, int attempt, Consumer<ObjectNode> fill) {
        Integer index = index(nodeId);
        if (index == null || cursor.finished(index) || !cursor.started()) return;
        ObjectNode data = Json.object().put("task_id", taskId).put("node_id", nodeId).put("attempt", attempt);
        fill.accept(data);
        if (ended || client.terminated()) return;
        client.sendEvent("delta", Json.write(data));
    }

    void stepFinished(StepRecord step) {
        lastLive = System.nanoTime();
        submit(() -> {
            taskStarted(step.startedAt());
            finished(step);
        }, true);
    }

    void taskFinished() {
        lastLive = System.nanoTime();
        submit(() -> sync(false), true);
    }

    void keepAlive() {
        submit(() -> client.sendComment("keep-alive"), true);
    }

    /** Ends the stream (the server stops, or the stream reached its longest life); the client may reconnect. */
    void end() {
        submit(this::finish, true);
    }

    private void sync(boolean justRegistered) {
        TaskRecord task = source.task(taskId);
        if (task == null) {
            finish();
            return;
        }
        if (task.startedAt() != null || task.state().finished()) {
            List<StepRecord> steps = source.steps(taskId, justRegistered);
            if (task.startedAt() != null) taskStarted(task.startedAt());
            for (StepRecord step : steps) finished(step);
        }
        if (task.state().finished()) {
            if (!cursor.started()) cursor.markStarted();
            send("task.finished", TaskJson.task(task));
            finish();
        }
    }

    private void taskStarted(Instant at) {
        if (cursor.started()) return;
        cursor.markStarted();
        ObjectNode data = Json.object().put("task_id", taskId);
        TaskJson.time(data, "started_at", at);
        send("task.started", data);
    }

    private void finished(StepRecord step) {
        Integer index = index(step.nodeId());
        if (index == null || cursor.finished(index)) return;
        cursor.markFinished(index);
        ObjectNode data = TaskJson.step(step, false, outputsInlineMax);
        data.put("task_id", taskId);
        send(step.state() == StepState.FAILED ? "step.failed" : "step.finished", data);
    }

    private Integer index(String nodeId) {
        if (nodes == null) {
            TaskRecord task = source.task(taskId);
            if (task == null) return null;
            nodes = source.nodeIndex(task);
        }
        return nodes.get(nodeId);
    }

    private void send(String event, ObjectNode data) {
        if (ended || client.terminated()) return;
        client.sendEvent(event, Json.write(data), cursor.nextId());
    }

    private void finish() {
        if (ended) return;
        ended = true;
        client.close();
    }

    private void closed() {
        ended = true;
        onEnd.accept(this);
    }

    /**
     * Runs {@code step} after the work before it. When the stream is idle the submitting thread runs it, unless
     * {@code handOff}: then the pool does (the engine's threads only hand work over).
     */
    private void submit(Runnable step, boolean handOff) {
        synchronized (work) {
            if (ended) return;
            work.add(step);
            pendingText = null;
            if (running) return;
            running = true;
        }
        if (handOff) pool.execute(this::drain);
        else drain();
    }

    /** {@link #submit} handing off, for a caller that holds the lock on {@link #work}. */
    private void submitLocked(Runnable step) {
        if (ended) return;
        work.add(step);
        if (running) return;
        running = true;
        pool.execute(this::drain);
    }

    private record PendingText(String nodeId, int attempt, StringBuilder text) {}

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (work) {
                next = work.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                if (!ended) next.run();
            } catch (RuntimeException e) {
                finish();   // the database did not answer or the client went away: the client reconnects
            }
        }
    }
}
