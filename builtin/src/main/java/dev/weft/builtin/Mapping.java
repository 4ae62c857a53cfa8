package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.Graph;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.task.TaskError;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One map step in flight: starts item runs while fewer than {@code concurrency} run, puts each result at its
 * item's position, and answers once every item ended (or, failing fast, at the first failure). Guarded by
 * {@code this}; item runs are started and cancelled, and the answer completed, outside nested engine locks: an
 * item that ends on the thread that started it only asks for another round ({@code again}), so the stack stays
 * flat over thousands of items.
 */
final class Mapping {

    private final FlowRuns runs;
    private final Graph graph;
    private final ArrayNode items;
    private final String itemField;
    private final boolean withIndex;
    private final int concurrency;
    private final boolean collect;
    private final long durableTaskId;
    private final int depth;
    private final JsonNode[] results;
    private final Map<Long, Integer> inFlight = new HashMap<>();
    private final CompletableFuture<NodeOutput> answer = new CompletableFuture<>();
    private int next;
    private int starting;
    private int ended;
    private int failed;
    private boolean finished;
    private boolean pumping;
    private boolean again;

    Mapping(FlowRuns runs, Graph graph, ArrayNode items, String itemField, boolean withIndex, int concurrency,
            boolean collect, long durableTaskId, int depth) {
        this.runs = runs;
        this.graph = graph;
        this.items = items;
        this.itemField = itemField;
        this.withIndex = withIndex;
        this.concurrency = concurrency;
        this.collect = collect;
        this.durableTaskId = durableTaskId;
        this.depth = depth;
        this.results = new JsonNode[items.size()];
    }

    CompletableFuture<NodeOutput> start() {
        answer.whenComplete((output, failure) -> {
            if (answer.isCancelled()) stopAll();   // the step timed out, or its task was cancelled
        });
        if (items.isEmpty()) answer.complete(output());
        else pump();
        return answer;
    }

    /** Starts items while there is room; a nested call (an item ended on this thread) asks for another round. */
    private void pump() {
        synchronized (this) {
            if (pumping) {
                again = true;
                return;
            }
            pumping = true;
        }
        try {
            while (true) {
                int index;
                synchronized (this) {
                    if (finished || next >= items.size() || inFlight.size() + starting >= concurrency) {
                        if (!again) {
                            pumping = false;
                            return;
                        }
                        again = false;
                        continue;
                    }
                    index = next++;
                    starting++;   // holds the place until the run has its id
                }
                startItem(index);
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                pumping = false;
            }
            fail(new NodeException(MapNode.ERROR, "could not start an item: " + e.getMessage()));
        }
    }

    private void startItem(int index) {
        ObjectNode data = Json.object();
        data.set(itemField, items.get(index));
        if (withIndex) data.put(MapNode.INDEX_FIELD, index);
        FlowRuns.MemoryRun run;
        try {
            run = runs.runInMemory(graph, data, durableTaskId, depth);
        } finally {
            synchronized (this) {
                starting--;
            }
        }
        boolean stopped;
        synchronized (this) {
            stopped = finished;   // stopped while this one was being started: nobody else will cancel it
            if (!stopped) inFlight.put(run.id(), index);
        }
        if (stopped) runs.cancelInMemory(run.id());
        else run.outcome().whenComplete((outcome, failure) -> ended(run.id(), index, outcome, failure));
    }

    private void ended(long id, int index, TaskOutcome outcome, Throwable failure) {
        NodeOutput done = null;
        NodeException failFast = null;
        synchronized (this) {
            if (inFlight.remove(id) == null || finished) return;
            ended++;
            if (failure == null && outcome.state() == TaskState.COMPLETED) {
                results[index] = outcome.result() == null ? Json.object() : outcome.result();
            } else {
                TaskError error = failure != null ? new TaskError(MapNode.ERROR, String.valueOf(failure.getMessage()), null)
                        : outcome.error() != null ? outcome.error()
                        : new TaskError(outcome.state().word(), "the item " + outcome.state().word(), null);
                if (collect) {
                    failed++;
                    ObjectNode item = Json.object();
                    ObjectNode json = item.putObject("error");
                    json.put("type", error.type()).put("message", error.message()).put("node_id", error.nodeId());
                    results[index] = item;
                } else {
                    failFast = new NodeException(error.type(), "item " + index + " failed"
                            + (error.nodeId() == null ? "" : " at node " + error.nodeId()) + ": " + error.message());
                }
            }
            if (failFast == null && ended == items.size()) {
                finished = true;
                done = output();
            }
        }
        if (failFast != null) {
            fail(failFast);
        } else if (done != null) {
            answer.complete(done);
        } else {
            pump();
        }
    }

    private void fail(NodeException failure) {
        stopAll();
        answer.completeExceptionally(failure);
    }

    /** Ends the mapping: nothing more starts, and the item runs under way are cancelled. */
    private void stopAll() {
        List<Long> running;
        synchronized (this) {
            finished = true;
            running = new ArrayList<>(inFlight.keySet());
            inFlight.clear();
        }
        for (long id : running) runs.cancelInMemory(id);
    }

    private NodeOutput output() {
        ObjectNode data = Json.object();
        ArrayNode list = data.putArray("results");
        for (JsonNode result : results) list.add(result);
        data.put("failed", failed);
        return NodeOutput.success(data);
    }
}
