package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.api.Cancellations;
import dev.weft.api.RecentTasks;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import dev.weft.builtin.FlowRuns;
import dev.weft.builtin.PublishedFlows;
import dev.weft.queue.Worker;
import dev.weft.store.AcceptHook;
import dev.weft.store.JdbcFlowStore;
import dev.weft.store.JdbcTaskStore;
import dev.weft.store.NewTask;
import dev.weft.store.NotFoundException;
import dev.weft.store.TaskRecord;
import dev.weft.task.ErrorTypes;
import java.util.Map;
import java.util.Optional;

/**
 * Published flows and child tasks for the subflow and map nodes, over this process's stores: a child task is
 * committed already claimed by this process (linked to its parent by {@code parent_task_id}) and run at once by the
 * worker on its parent's slot. The worker and the cancellations exist only after the registry that holds these
 * nodes, so they are attached once everything is built.
 */
final class StoredFlows implements PublishedFlows {

    private final JdbcFlowStore flows;
    private final JdbcTaskStore tasks;
    private volatile Worker worker;
    private volatile Cancellations cancellations;
    private volatile RecentTasks recent;

    StoredFlows(JdbcFlowStore flows, JdbcTaskStore tasks) {
        this.flows = flows;
        this.tasks = tasks;
    }

    /** Attaches what child tasks run and stop with; {@code worker} is null in a process that runs no tasks. */
    void attach(Worker worker, Cancellations cancellations, RecentTasks recent) {
        this.worker = worker;
        this.cancellations = cancellations;
        this.recent = recent;
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
    public ChildTask startChild(ChildRequest request) {
        Worker runner = worker;
        if (runner == null) throw new NodeException(ErrorTypes.UNAVAILABLE, "this process runs no tasks", true);
        ObjectNode start = Json.object();
        start.set("data", request.startData());
        Map<String, JsonNode> settings = Map.of(request.startNode(), start);
        TaskRecord child = tasks.accept(new NewTask(request.flowId(), request.version(), request.startNode(),
                request.endNode(), request.endNode(), settings, null, request.parentTaskId(), request.depth()), true,
                AcceptHook.NONE).task();
        RecentTasks polls = recent;
        if (polls != null) polls.running(child);
        return new ChildTask(child.id(), runner.runChild(JdbcTaskStore.claimOf(child)));
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
        return task.or(() -> tasks.get(taskId)).map(TaskRecord::depth).orElse(0);
    }
}
