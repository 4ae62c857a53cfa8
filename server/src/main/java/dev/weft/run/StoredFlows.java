package dev.weft.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.event.RecentTasks;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import dev.weft.builtin.FlowRuns;
import dev.weft.builtin.PublishedFlows;
import dev.weft.engine.CompiledFlows;
import dev.weft.engine.Graph;
import dev.weft.registry.NodeRegistry;
import dev.weft.store.JdbcFlowStore;
import dev.weft.store.JdbcTaskStore;
import dev.weft.store.ChildKey;
import dev.weft.store.NewTask;
import dev.weft.store.NotFoundException;
import dev.weft.store.TaskRecord;
import dev.weft.task.ErrorTypes;
import dev.weft.task.TaskOutcome;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.Map;
import java.util.Optional;

/**
 * Published flows and child tasks for the subflow and map nodes, over this process's stores: a child task goes
 * through the {@link Intake} like any other (committed claimed by this process, linked to its parent by
 * {@code parent_task_id}, run at once on its parent's slot), and published versions are compiled in the process's
 * one {@link CompiledFlows}. The intake, the compiled flows and the cancellations exist only after the registry that
 * holds these nodes, so they are attached once everything is built.
 */
public final class StoredFlows implements PublishedFlows {

    /** How long one wait for a child task lasts before the task is read again (a wait never ends unfinished). */
    private static final Duration WAIT_ROUND = Duration.ofMinutes(5);

    private final JdbcFlowStore flows;
    private final JdbcTaskStore tasks;
    private volatile Intake intake;
    private volatile CompiledFlows compiled;
    private volatile Cancellations cancellations;
    private volatile RecentTasks recent;
    private volatile TaskWaits waits;

    public StoredFlows(JdbcFlowStore flows, JdbcTaskStore tasks) {
        this.flows = flows;
        this.tasks = tasks;
    }

    /** Attaches what child tasks start and stop with, and the compiled flows. */
    public void attach(Intake intake, CompiledFlows compiled, Cancellations cancellations, RecentTasks recent) {
        this.intake = intake;
        this.compiled = compiled;
        this.cancellations = cancellations;
        this.recent = recent;
    }

    /** Attaches the waits through which a resumed step waits for a child task it started before. */
    public void attachWaits(TaskWaits waits) {
        this.waits = waits;
    }

    /**
     * Reads the task (this may block: the caller is on the node pool); a finished one answers at once, else its
     * finish is awaited without a thread, here or in another process (its notification, or the waits' safety net).
     */
    @Override
    public CompletionStage<TaskOutcome> outcome(long taskId) {
        TaskWaits wait = waits;
        Optional<TaskRecord> now = tasks.reads().get(taskId);
        if (now.isEmpty()) {
            return CompletableFuture.failedFuture(new NodeException(FlowRuns.NOT_FOUND, "task " + taskId
                    + " does not exist", false));
        }
        if (now.get().state().finished()) return CompletableFuture.completedFuture(outcomeOf(now.get()));
        if (wait == null) {
            return CompletableFuture.failedFuture(new NodeException(ErrorTypes.UNAVAILABLE, "this process cannot"
                    + " wait for task " + taskId, true));
        }
        return waitFor(wait, taskId);
    }

    private static CompletableFuture<TaskOutcome> waitFor(TaskWaits wait, long taskId) {
        return wait.await(taskId, WAIT_ROUND).thenCompose(task -> task.state().finished()
                ? CompletableFuture.completedFuture(outcomeOf(task)) : waitFor(wait, taskId));
    }

    private static TaskOutcome outcomeOf(TaskRecord task) {
        return new TaskOutcome(task.state(), task.result() instanceof ObjectNode result ? result : null, task.error());
    }

    @Override
    public Version find(long flowId, Integer version) {
        int number;
        if (version == null) {
            Optional<Integer> latest = flows.latestVersionNumber(flowId).orElseThrow(() ->
                    new NodeException(FlowRuns.NOT_FOUND, "flow " + flowId + " does not exist", false));
            number = latest.orElseThrow(() -> new NodeException(FlowRuns.NOT_FOUND, "flow " + flowId
                    + " has no published version yet: publish it first", false));
        } else {
            number = version;
        }
        try {
            return new Version(flowId, number, tasks.flowVersion(flowId, number));
        } catch (NotFoundException e) {
            throw new NodeException(FlowRuns.NOT_FOUND, e.getMessage(), false);
        }
    }

    @Override
    public Graph graph(Version version, String start, String end, NodeRegistry registry) {
        CompiledFlows flows = compiled;
        if (flows == null) return PublishedFlows.super.graph(version, start, end, registry);
        return flows.graph(new CompiledFlows.Key(version.flowId(), version.version(), start, end, end));
    }

    @Override
    public ChildTask startChild(ChildRequest request) {
        Intake starts = intake;
        if (starts == null || !starts.runsTasks()) {
            throw new NodeException(ErrorTypes.UNAVAILABLE, "this process runs no tasks", true);
        }
        checkWorkspace(request.parentTaskId(), request.flowId());
        ObjectNode start = Json.object();
        start.set("data", request.startData());
        Map<String, JsonNode> settings = Map.of(request.startNode(), start);
        NewTask task = new NewTask(request.flowId(), request.version(), request.startNode(), request.endNode(),
                request.endNode(), settings, null, request.parentTaskId(), request.depth());
        Started child = starts.start(request.key() == null ? TaskStart.child(task)
                : TaskStart.child(task, new ChildKey(request.parentTaskId(), request.key())));
        long id = child.accepted().task().id();
        // a keyed child made before (the parent resumed after a crash) is waited for wherever it runs
        return new ChildTask(id, child.outcome().isPresent() ? child.outcome().get() : outcome(id));
    }

    /**
     * A subflow may run only a flow of its parent's workspace: another workspace's flow fails the step as a flow
     * that does not exist would (the flow's workspace is kept in memory; the parent is usually in memory too).
     */
    private void checkWorkspace(long parentTaskId, long flowId) {
        java.util.OptionalLong flowWorkspace = flows.workspaceOf(flowId);
        RecentTasks polls = recent;
        Optional<TaskRecord> parent = polls == null ? Optional.empty() : polls.get(parentTaskId);
        Optional<Long> parentWorkspace = parent.or(() -> tasks.reads().get(parentTaskId)).map(TaskRecord::workspaceId);
        if (flowWorkspace.isPresent() && parentWorkspace.isPresent()
                && flowWorkspace.getAsLong() != parentWorkspace.get()) {
            throw new NodeException(FlowRuns.NOT_FOUND, "flow " + flowId + " does not exist", false);
        }
    }

    @Override
    public void cancel(long taskId) {
        Cancellations cancel = cancellations;
        if (cancel != null) cancel.cancel(taskId);
    }

    @Override
    public int depth(long taskId) {
        RecentTasks polls = recent;
        Optional<TaskRecord> task = polls == null ? Optional.empty() : polls.get(taskId);
        return task.or(() -> tasks.reads().get(taskId)).map(TaskRecord::depth).orElse(0);
    }
}
