package dev.weft.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.Graph;
import dev.weft.flow.Flow;
import dev.weft.node.NodeException;
import dev.weft.registry.NodeRegistry;
import dev.weft.task.ErrorTypes;
import dev.weft.task.TaskOutcome;
import java.util.concurrent.CompletionStage;

/**
 * What the {@code subflow} and {@code map} nodes need from the server: published flow versions, and durable child
 * tasks linked to their parent. The server implements it over its stores and worker; a process without them
 * ({@code weft run FILE}) uses {@link #NONE}, where only inline sub-flows run.
 */
public interface PublishedFlows {

    /** No published flows: every lookup fails with {@code flow_not_found}. */
    PublishedFlows NONE = new PublishedFlows() {
        @Override
        public Version find(long flowId, Integer version) {
            throw new NodeException(FlowRuns.NOT_FOUND, "flow " + flowId + ": no published flows here (weft run "
                    + "runs one file; use an inline flow)", false);
        }

        @Override
        public ChildTask startChild(ChildRequest request) {
            throw new NodeException(ErrorTypes.UNAVAILABLE, "no task store here to start a child task", false);
        }

        @Override
        public void cancel(long taskId) {}

        @Override
        public int depth(long taskId) {
            return 0;
        }
    };

    /** A published version of a flow. */
    record Version(long flowId, int version, Flow flow) {}

    /**
     * A child task to commit and start: {@code parentTaskId} is the durable task whose step asks for it (the link a
     * user sees), {@code depth} its nesting (1 for a child of a top-level task). {@code key}, when not null, names a
     * once-only call within the parent: a second request with the same parent and key answers the child the first
     * one made (running or finished) instead of starting another, so a step resumed after a crash attaches to it.
     */
    record ChildRequest(long parentTaskId, int depth, long flowId, int version, String startNode, String endNode,
                        ObjectNode startData, String key) {

        /** A child that is not a once-only call: each request starts one. */
        public ChildRequest(long parentTaskId, int depth, long flowId, int version, String startNode, String endNode,
                            ObjectNode startData) {
            this(parentTaskId, depth, flowId, version, startNode, endNode, startData, null);
        }
    }

    /** A started child task: its id, and its outcome once recorded. */
    record ChildTask(long taskId, CompletionStage<TaskOutcome> outcome) {}

    /**
     * The published version {@code version} of the flow, or its latest when null; throws {@link NodeException}
     * ({@link FlowRuns#NOT_FOUND}) when there is none.
     */
    Version find(long flowId, Integer version);

    /**
     * The version compiled between {@code start} and {@code end} with {@code registry}; a server answers from its one
     * cache of compiled flows. Throws {@code InvalidFlowException} when the nodes do not fit the flow.
     */
    default Graph graph(Version version, String start, String end, NodeRegistry registry) {
        return Graph.compile(version.flow(), registry, start, end, end);
    }

    /** Commits the child task and starts it at once in this process; the task is durable when this returns. */
    ChildTask startChild(ChildRequest request);

    /**
     * The outcome of a child task started before, once it is recorded: a step that resumes after a crash waits for
     * the child it had started (its id kept in the step's journal) instead of starting another. The default knows of
     * no tasks.
     *
     * @param taskId a child task's id, as {@link #startChild} gave it
     * @return its outcome; fails with {@code flow_not_found}-like errors when the task is unknown
     */
    default CompletionStage<TaskOutcome> outcome(long taskId) {
        return java.util.concurrent.CompletableFuture.failedFuture(new NodeException(ErrorTypes.UNAVAILABLE,
                "no task store here to wait for task " + taskId, false));
    }

    /** Cancels a child task whose parent step stopped waiting for it (the parent was cancelled or timed out). */
    void cancel(long taskId);

    /** A durable task's nesting: 0 for a task started through the API, its parent's depth + 1 for a child. */
    int depth(long taskId);
}
