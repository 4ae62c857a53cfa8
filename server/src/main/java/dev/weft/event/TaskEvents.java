package dev.weft.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.concurrent.Loop;
import dev.weft.concurrent.Threads;
import dev.weft.engine.TaskListener;
import dev.weft.node.Deltas;
import dev.weft.task.StepRecord;
import dev.weft.task.TaskOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;

/**
 * The open event streams, by task: hears the engine's events and hands each to the streams of its task (costing a
 * map lookup when nobody watches). A timer sends keep-alive comments, ends streams at their longest life (the client
 * reconnects with {@code Last-Event-ID}), and has streams of tasks that this process does not run check the
 * database, since their live events happen in another process.
 */
public final class TaskEvents implements TaskListener, AutoCloseable {

    public static final Duration KEEP_ALIVE_EVERY = Duration.ofSeconds(15);
    /** How often a stream of a task run elsewhere looks at the database. */
    public static final Duration CHECK_EVERY = Duration.ofSeconds(1);
    public static final Duration STREAM_MAX = Duration.ofMinutes(30);
    public static final int POOL_THREADS = 4;

    private final Map<Long, Set<EventStream>> streams = new ConcurrentHashMap<>();
    private final Map<EventStream, Long> openedAt = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final ExecutorService pool = Executors.newFixedThreadPool(POOL_THREADS, Threads.named("weft-sse"));
    private final Loop timer = Loop.every("weft-sse-timer", CHECK_EVERY, this::tick);
    private volatile LongPredicate runningHere = id -> false;
    private long ticks;

    public TaskEvents() {
        timer.start();
    }

    /** Tells which tasks this process runs (their events come live; the others' streams check the database). */
    public void runningHere(LongPredicate running) {
        this.runningHere = running;
    }

    ExecutorService pool() {
        return pool;
    }

    /** How many streams are open. */
    public int open() {
        return open.get();
    }

    void add(EventStream stream) {
        streams.computeIfAbsent(stream.taskId(), k -> ConcurrentHashMap.newKeySet()).add(stream);
        openedAt.put(stream, System.nanoTime());
        open.incrementAndGet();
    }

    void remove(EventStream stream) {
        if (openedAt.remove(stream) == null) return;
        open.decrementAndGet();
        streams.computeIfPresent(stream.taskId(), (id, set) -> {
            set.remove(stream);
            return set.isEmpty() ? null : set;
        });
    }

    @Override
    public void stepStarted(long taskId, String nodeId, int attempt, Instant at) {
        Set<EventStream> watching = streams.get(taskId);
        if (watching != null) watching.forEach(s -> s.stepStarted(nodeId, attempt, at));
    }

    @Override
    public void stepFinished(long taskId, StepRecord step) {
        Set<EventStream> watching = streams.get(taskId);
        if (watching != null) watching.forEach(s -> s.stepFinished(step));
    }

    /**
     * Passes a step's live progress to the streams of its task as {@code delta} events. Not stored: a stream that
     * opens later, or one on another process of a cluster, does not see the deltas sent before (it sees the step's
     * output when it finishes). With nobody watching a delta costs one map lookup.
     */
    @Override
    public Deltas deltas(long taskId, String nodeId, int attempt) {
        return new Deltas() {
            @Override
            public void text(String text) {
                Set<EventStream> watching = streams.get(taskId);
                if (watching != null) watching.forEach(s -> s.deltaText(nodeId, attempt, text));
            }

            @Override
            public void toolStarted(String callId, String tool, JsonNode arguments) {
                Set<EventStream> watching = streams.get(taskId);
                if (watching != null) watching.forEach(s -> s.deltaTool(nodeId, attempt, callId, tool, null, -1));
            }

            @Override
            public void toolEnded(String callId, String tool, boolean ok, long durationMs) {
                Set<EventStream> watching = streams.get(taskId);
                if (watching != null) watching.forEach(s -> s.deltaTool(nodeId, attempt, callId, tool, ok, durationMs));
            }
        };
    }

    @Override
    public void taskFinished(long taskId, TaskOutcome outcome, Instant at) {
        Set<EventStream> watching = streams.get(taskId);
        if (watching != null) watching.forEach(EventStream::taskFinished);
    }

    private void tick() {
        long now = System.nanoTime();
        boolean keepAlive = ++ticks % Math.max(1, KEEP_ALIVE_EVERY.toMillis() / CHECK_EVERY.toMillis()) == 0;
        for (Map.Entry<EventStream, Long> entry : openedAt.entrySet()) {
            EventStream stream = entry.getKey();
            if (now - entry.getValue() > STREAM_MAX.toNanos()) {
                stream.end();
            } else if (!runningHere.test(stream.taskId()) && now - stream.lastLive() > CHECK_EVERY.toNanos()) {
                stream.check();
            } else if (keepAlive) {
                stream.keepAlive();
            }
        }
    }

    @Override
    public void close() {
        timer.close();
        openedAt.keySet().forEach(EventStream::end);
        pool.shutdown();
    }
}
