package dev.weft.queue;

import dev.weft.concurrent.Loop;
import dev.weft.engine.CompiledFlows;
import dev.weft.engine.Engine;
import dev.weft.engine.TaskRequest;
import dev.weft.task.ErrorTypes;
import dev.weft.task.TaskError;
import dev.weft.task.TaskJournal;
import dev.weft.task.TaskOutcome;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes tasks from the queue and runs them in the engine: claims only as many as it has free slots, wakes at
 * once when told new work exists ({@link #wakeUp()}), and polls as a fallback. The loop never dies: a failed
 * round is logged and the next one follows. It knows which tasks run here, renews their leases when asked
 * ({@link #renewLeases()}, the heartbeat), and on a graceful stop gives back what did not finish in time
 * ({@link #shutdown(Duration)}). Its slots never leave it: a task accepted in this process starts here through
 * {@link #startHere}, which takes a slot only around the accept it is handed.
 */
public final class Worker implements AutoCloseable {

    public static final Duration POLL_DEFAULT = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    private final TaskQueue queue;
    private final Engine engine;
    private final CompiledFlows flows;
    private final TaskJournal journal;
    private final Clock clock;
    private final Semaphore slots;
    private final Loop rounds;
    /** The tasks running here; guarded by itself, notified when one ends. */
    private final Set<Long> running = new HashSet<>();
    /**
     * Whether tasks may be waiting in the queue for a slot here: the last round had no free slot, or filled every
     * free slot. Only then does a task's end start a claim round; otherwise new tasks announce themselves.
     */
    private volatile boolean backlog = true;

    /** Runs the tasks {@code queue} hands out in {@code engine}, with their graphs from {@code flows}. */
    public Worker(TaskQueue queue, Engine engine, CompiledFlows flows, TaskJournal journal, Clock clock, int slots,
                  Duration poll) {
        this.queue = queue;
        this.engine = engine;
        this.flows = flows;
        this.journal = journal;
        this.clock = clock;
        this.slots = new Semaphore(slots);
        this.rounds = Loop.onWake("weft-worker", poll, this::runOnce);
    }

    public void start() {
        rounds.start();
    }

    /** Tells the worker that a task may be waiting, so it claims now instead of at the next poll. */
    public void wakeUp() {
        rounds.wakeUp();
    }

    /** One round: claims up to the free slots and starts those tasks (none once stopping). Returns how many. */
    public int runOnce() {
        backlog = true;   // before the slots are counted: a task ending meanwhile then starts another round
        int free = slots.availablePermits();
        if (free == 0 || rounds.stopping()) return 0;
        List<ClaimedTask> claimed = queue.claim(free);
        if (claimed.size() < free && !queue.holdsBack()) backlog = false;   // the queue had no more for us
        for (ClaimedTask task : claimed) {
            if (engine.isRunning(task.taskId())) {
                // claimed again while it runs here (its lease ran out): the run in flight finishes it
                log.warn("task {} was claimed again while running here; leaving it to the running one", task.taskId());
                continue;
            }
            slots.acquireUninterruptibly();
            runOnSlot(task);
        }
        return claimed.size();
    }

    /**
     * Starts a task here at once if a slot is free, saving a claim round: takes the slot, lets {@code accept} commit
     * the task claimed by this process, and runs the claim {@code toRun} makes of its answer. The slot goes back when
     * {@code accept} throws, or when {@code toRun} gives null (nothing new to run, e.g. an idempotent repeat). Empty,
     * without calling {@code accept}, when every slot is busy or the worker is stopping.
     */
    public <T> Optional<T> startHere(Supplier<T> accept, Function<T, ClaimedTask> toRun) {
        if (rounds.stopping() || !slots.tryAcquire()) return Optional.empty();
        T accepted;
        ClaimedTask task;
        try {
            accepted = accept.get();
            task = toRun.apply(accepted);
        } catch (RuntimeException | Error e) {
            slots.release();
            throw e;
        }
        if (task == null) slots.release();
        else runOnSlot(task);
        return Optional.of(accepted);
    }

    /**
     * Runs a child task (a subflow step's, accepted here already claimed) on its parent's slot: a parent waiting for
     * its child holds no slot of its own, so nested flows cannot use up every slot and wait on each other. The child
     * counts as running here (heartbeat, cancel checks, graceful stop) until its outcome is recorded.
     */
    public CompletableFuture<TaskOutcome> runChild(ClaimedTask task) {
        synchronized (running) {
            running.add(task.taskId());
        }
        try {
            CompletableFuture<TaskOutcome> outcome = engine.start(request(task));
            outcome.whenComplete((done, error) -> ended(task.taskId()));
            return outcome;
        } catch (RuntimeException e) {
            ended(task.taskId());
            TaskOutcome failed = TaskOutcome.failed(new TaskError(ErrorTypes.INVALID_TASK, e.getMessage(), null));
            return journal.taskFinished(task.taskId(), failed, clock.instant()).toCompletableFuture()
                    .thenApply(ok -> failed);
        }
    }

    private void runOnSlot(ClaimedTask task) {
        synchronized (running) {
            running.add(task.taskId());
        }
        try {
            engine.start(request(task)).whenComplete((outcome, error) -> {
                ended(task.taskId());
                slots.release();
                if (backlog) wakeUp();   // read after the release: see runOnce
            });
        } catch (RuntimeException e) {
            ended(task.taskId());
            slots.release();
            log.warn("task {} cannot run: {}", task.taskId(), e.getMessage());
            journal.taskFinished(task.taskId(), TaskOutcome.failed(new TaskError(ErrorTypes.INVALID_TASK,
                    e.getMessage(), null)), clock.instant());
        }
    }

    private TaskRequest request(ClaimedTask task) {
        return new TaskRequest(task.taskId(), flows.graph(new CompiledFlows.Key(task.flowId(), task.flowVersion(),
                task.startNode(), task.endNode(), task.resultNode())), task.nodeSettings(), task.recorded(),
                task.entries());
    }

    private void ended(long taskId) {
        synchronized (running) {
            running.remove(taskId);
            running.notifyAll();
        }
    }

    /** Whether the end of a task here starts a claim round now (tasks may be waiting for a slot). */
    boolean claimsWhenATaskEnds() {
        return backlog;
    }

    public int freeSlots() {
        return slots.availablePermits();
    }

    /** The ids of the tasks running here now. */
    public Set<Long> runningTasks() {
        synchronized (running) {
            return Set.copyOf(running);
        }
    }

    /**
     * The heartbeat: renews the leases of the tasks running here. A task whose lease was lost (this process was
     * cut off for longer than a lease) keeps running here, but the queue refuses its writes; it is logged.
     * Returns how many leases are held.
     */
    public int renewLeases() {
        Set<Long> ids = runningTasks();
        if (ids.isEmpty()) return 0;
        Set<Long> held = queue.renew(ids);
        Set<Long> notHeld = new HashSet<>();
        for (long id : ids) {
            if (!held.contains(id) && runningTasks().contains(id)) notHeld.add(id);
        }
        // a task whose outcome was committed just now (its run has not told the worker yet) holds no lease either:
        // only a task that another worker holds, or that went back to the queue, has truly lost its lease
        for (long id : notHeld.isEmpty() ? Set.<Long>of() : queue.takenAmong(notHeld)) {
            log.warn("task {} lost its lease: another worker may take it over; its writes from here are refused", id);
        }
        return held.size();
    }

    /**
     * Stops gracefully: claims nothing more, lets the running tasks finish for up to {@code grace}, then gives the
     * rest back to the queue, so that another worker takes them over at once (their recorded steps are kept; the
     * steps in flight here run again there). Returns how many tasks went back.
     */
    public int shutdown(Duration grace) {
        close();
        long deadline = System.nanoTime() + grace.toNanos();
        Collection<Long> left;
        synchronized (running) {
            try {
                for (long wait; !running.isEmpty() && (wait = deadline - System.nanoTime()) > 0; ) {
                    TimeUnit.NANOSECONDS.timedWait(running, wait);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            left = List.copyOf(running);
        }
        if (left.isEmpty()) return 0;
        try {
            int released = queue.release(left);
            log.info("gave {} unfinished task(s) back to the queue at shutdown", released);
            return released;
        } catch (RuntimeException e) {
            log.warn("could not give {} task(s) back to the queue ({}); they go back when their leases run out",
                    left.size(), e.getMessage());
            return 0;
        }
    }

    @Override
    public void close() {
        rounds.close();
    }
}
