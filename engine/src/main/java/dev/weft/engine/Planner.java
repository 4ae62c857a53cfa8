package dev.weft.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.EndNode;
import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import dev.weft.task.TaskOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Decides a task's next moves from its state alone: a pure function of the compiled graph, the steps so far and
 * the current instant. Applying the plan (running nodes, writing records) is {@link TaskRun}'s job.
 *
 * <p>A node is ready when every upstream node that runs has finished. It then runs if its mapped input fields
 * arrived (each field, or any field for nodes such as {@code end} that gather alternative branches); otherwise
 * it is skipped, and skipping propagates downstream within the same plan. A plan looks only at the ready nodes,
 * the retries that are due and what the skips it decides make ready ({@link Steps} keeps them), so a task of
 * {@code n} nodes costs time in proportion to {@code n} and its edges over all its plans, not {@code n} per plan.
 */
final class Planner {

    private Planner() {}

    static Plan next(Graph graph, Steps steps, Instant now) {
        StepRecord failure = steps.firstFailure();
        if (failure != null) return new Plan(List.of(), List.of(), null, TaskOutcome.failed(failure.error()));
        if (steps.unfinished() == 0) return new Plan(List.of(), List.of(), null, TaskOutcome.completed(result(graph, steps)));
        // candidates in run order, so that a skip reaches the nodes it makes ready before they are looked at
        PriorityQueue<Integer> candidates = new PriorityQueue<>(steps.ready());
        Instant wakeAt = null;
        for (Steps.Retry retry : steps.retries()) {
            if (retry.dueAt().isAfter(now)) {
                wakeAt = retry.dueAt();
                break;
            }
            candidates.add(retry.position());
        }
        List<String> start = new ArrayList<>();
        List<String> skip = new ArrayList<>();
        Map<Integer, Integer> skippedSources = new HashMap<>();
        while (!candidates.isEmpty()) {
            int position = candidates.poll();
            String id = graph.id(position);
            if (steps.get(position) instanceof Step.Waiting || id.equals(graph.start()) || inputsArrived(graph, id, steps)) {
                start.add(id);
                continue;
            }
            skip.add(id);
            for (int target : graph.targets(position)) {
                int skipped = skippedSources.merge(target, 1, Integer::sum);
                if (steps.unfinishedSources(target) == skipped && steps.get(target) == null) candidates.add(target);
            }
        }
        if (start.isEmpty() && wakeAt == null && steps.unfinished() == skip.size()) {
            return new Plan(List.of(), skip, null, TaskOutcome.completed(result(graph, steps)));
        }
        return new Plan(start, skip, wakeAt, null);
    }

    private static boolean inputsArrived(Graph graph, String id, Steps steps) {
        Map<String, Boolean> fields = new HashMap<>();
        for (Incoming in : graph.incoming(id)) {
            boolean active = steps.get(in.fromNode()) instanceof Step.Finished f && f.emitted(in.ref().port());
            fields.merge(in.toField(), active, Boolean::logicalOr);
        }
        if (fields.isEmpty()) return true;
        return graph.nodeType(id).needsEveryInput(graph.node(id).settings())
                ? !fields.containsValue(false)
                : fields.containsValue(true);
    }

    private static ObjectNode result(Graph graph, Steps steps) {
        String id = graph.result();
        if (steps.get(id) instanceof Step.Finished f && f.state() == StepState.DONE) {
            StepRecord record = f.record();
            if (record.outputs() != null) return record.outputs();
        }
        ObjectNode empty = JsonNodeFactory.instance.objectNode();
        if (graph.node(id).isEnd()) {
            for (String field : EndNode.outputNames(graph.node(id).settings())) empty.putNull(field);
        }
        return empty;
    }
}
