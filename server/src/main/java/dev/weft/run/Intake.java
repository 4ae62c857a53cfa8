package dev.weft.run;

import dev.weft.engine.CompiledFlows;
import dev.weft.engine.Engine;
import dev.weft.engine.Graph;
import dev.weft.queue.Worker;
import dev.weft.store.Accepted;
import dev.weft.store.JdbcTaskAccept;
import dev.weft.store.NewTask;
import dev.weft.store.StartMode;
import dev.weft.store.TaskRecord;
import dev.weft.task.TaskOutcome;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The one way a task comes into being, whoever asks (an execute, a retry, a sub-flow or map step): checks the
 * flow's concurrency limit, commits the task with what belongs to it, and starts it on the path that fits — inline
 * on the caller's thread when every node is pure, here when this process's worker has a free slot, else in the
 * queue. The engine tells the task's listeners of its progress on every path; the worker keeps its slots.
 */
public final class Intake {

    /**
     * What the intake works with: the store's accept, the compiled flows, the engine (inline runs), this process's
     * worker (null in a process that runs no tasks), the per-flow limit and who hears of accepted tasks.
     */
    public record Parts(JdbcTaskAccept tasks, CompiledFlows flows, Engine engine, Worker worker, FlowLimit limit,
                        AcceptListener listener) {}

    private final Parts parts;

    public Intake(Parts parts) {
        this.parts = parts;
    }

    /** Whether this process runs tasks (a child task can only start where one does). */
    public boolean runsTasks() {
        return parts.worker() != null;
    }

    /**
     * Accepts the task and starts it; when this returns the task is committed (durable). An existing task named
     * by the start's hook (an idempotent repeat) is answered instead, and nothing is started.
     */
    public Started start(TaskStart start) {
        if (start.paths() == TaskStart.Paths.PARENT_SLOT) return onParentSlot(start);
        parts.limit().check(start.task().flowId());
        if (start.paths() == TaskStart.Paths.ANY) {
            Optional<Started> inline = inline(start);
            if (inline.isPresent()) return inline.get();
        }
        return hereOrQueued(start);
    }

    /** Runs a pure flow on this thread and stores it finished, when it may start now and needs no waiting. */
    private Optional<Started> inline(TaskStart start) {
        NewTask task = start.task();
        if (parts.worker() == null) return Optional.empty();
        Graph graph = parts.flows().graph(new CompiledFlows.Key(task.flowId(), task.flowVersion(), task.startNode(),
                task.endNode(), task.resultNode()));
        if (!graph.pure() || !parts.limit().mayStart(task.flowId())) return Optional.empty();
        return parts.engine().runInline(graph, task.nodeSettings()).map(ran -> {
            Accepted accepted = parts.tasks().accept(task, new StartMode.Finished(ran.steps(), ran.outcome(),
                    ran.startedAt(), ran.finishedAt()), start.hook());
            if (!(accepted instanceof Accepted.New made)) return existing(accepted);
            parts.listener().accepted(made.task(), start, Started.Path.INLINE);
            parts.engine().announceInline(made.task().id(), ran, made.task().finishedAt());
            return new Started(accepted, Started.Path.INLINE, Optional.of(CompletableFuture.completedFuture(
                    ran.outcome())));
        });
    }

    /** Accepts the task claimed and runs it on a free slot of this process's worker; else queues it. */
    private Started hereOrQueued(TaskStart start) {
        Worker worker = parts.worker();
        if (worker != null && parts.limit().mayStart(start.task().flowId())) {
            Optional<Accepted> here = worker.startHere(() -> {
                Accepted accepted = parts.tasks().accept(start.task(), new StartMode.Claimed(start.done()),
                        start.hook());
                if (accepted instanceof Accepted.New made) {
                    parts.listener().accepted(made.task(), start, Started.Path.HERE);   // before it can end
                }
                return accepted;
            }, accepted -> accepted instanceof Accepted.New made ? made.task().claim(start.done()) : null);
            if (here.isPresent()) {
                return here.get().created() ? new Started(here.get(), Started.Path.HERE, Optional.empty())
                        : existing(here.get());
            }
        }
        Accepted accepted = parts.tasks().accept(start.task(), new StartMode.Queued(start.done()), start.hook());
        if (!(accepted instanceof Accepted.New made)) return existing(accepted);
        parts.listener().accepted(made.task(), start, Started.Path.QUEUED);
        if (worker != null) worker.wakeUp();
        return new Started(accepted, Started.Path.QUEUED, Optional.empty());
    }

    /** A child task: accepted claimed, and run at once on the slot of the parent step that waits for it. */
    private Started onParentSlot(TaskStart start) {
        Worker worker = parts.worker();
        if (worker == null) throw new IllegalStateException("a child task starts only in a process that runs tasks");
        Accepted accepted = parts.tasks().accept(start.task(), new StartMode.Claimed(start.done()), start.hook());
        if (!(accepted instanceof Accepted.New made)) return existing(accepted);
        TaskRecord child = made.task();
        parts.listener().accepted(child, start, Started.Path.PARENT_SLOT);
        CompletableFuture<TaskOutcome> outcome = worker.runChild(child.claim(start.done()));
        return new Started(accepted, Started.Path.PARENT_SLOT, Optional.of(outcome));
    }

    private static Started existing(Accepted accepted) {
        return new Started(accepted, Started.Path.EXISTING, Optional.empty());
    }

    /** The task a retry of {@code earlier} starts: the same flow version, nodes and settings, for {@code keyId}. */
    public static NewTask again(TaskRecord earlier, String keyId) {
        return new NewTask(earlier.flowId(), earlier.flowVersion(), earlier.startNode(), earlier.endNode(),
                earlier.resultNode(), earlier.settingsByNode(), keyId);
    }
}
