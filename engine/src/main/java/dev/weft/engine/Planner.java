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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides a task's next moves from its state alone: a pure function of the compiled graph, the steps so far and
 * the current instant. Applying the plan (running nodes, writing records) is {@link TaskRun}'s job.
 *
 * <p>A node is ready when every upstream node that runs has finished. It then runs if its mapped input fields
 * arrived (each field, or any field for nodes such as {@code end} that gather alternative branches); otherwise
 * it is skipped, and skipping propagates downstream within the same plan.
 */
final class Planner {

    private Planner() {}

    static Plan next(Graph graph, Map<String, Step> steps, Instant now) {
        for (Step step : steps.values()) {
            if (step instanceof Step.Finished f && f.record().state() == StepState.FAILED) {
                return new Plan(List.of(), List.of(), null, TaskOutcome.failed(f.record().error()));
            }
        }
        List<String> start = new ArrayList<>();
        List<String> skip = new ArrayList<>();
        Set<String> skippedNow = new HashSet<>();
        Instant wakeAt = null;
        boolean unsettled = false;
        for (String id : graph.order()) {
            Step step = steps.get(id);
            if (step instanceof Step.Finished) continue;
            unsettled = true;
            if (step instanceof Step.Waiting waiting) {
                if (!waiting.dueAt().isAfter(now)) start.add(id);
                else if (wakeAt == null || waiting.dueAt().isBefore(wakeAt)) wakeAt = waiting.dueAt();
                continue;
            }
            if (step != null) continue;   // running
            if (id.equals(graph.start())) {
                start.add(id);
                continue;
            }
            if (!upstreamSettled(graph, id, steps, skippedNow)) continue;
            if (inputsArrived(graph, id, steps)) {
                start.add(id);
            } else {
                skip.add(id);
                skippedNow.add(id);
            }
        }
        boolean allSettled = !unsettled || (start.isEmpty() && wakeAt == null && settledWith(graph, steps, skippedNow));
        if (allSettled) {
            return new Plan(List.of(), skip, null, TaskOutcome.completed(result(graph, steps)));
        }
        return new Plan(start, skip, wakeAt, null);
    }

    private static boolean upstreamSettled(Graph graph, String id, Map<String, Step> steps, Set<String> skippedNow) {
        for (String up : graph.upstream(id)) {
            if (!(steps.get(up) instanceof Step.Finished) && !skippedNow.contains(up)) return false;
        }
        return true;
    }

    private static boolean inputsArrived(Graph graph, String id, Map<String, Step> steps) {
        Map<String, Boolean> fields = new HashMap<>();
        for (Incoming in : graph.incoming(id)) {
            boolean active = steps.get(in.fromNode()) instanceof Step.Finished f && f.emitted(in.ref().port());
            fields.merge(in.toField(), active, Boolean::logicalOr);
        }
        if (fields.isEmpty()) return true;
        return graph.type(id).needsEveryInput(graph.node(id).settings())
                ? !fields.containsValue(false)
                : fields.containsValue(true);
    }

    private static boolean settledWith(Graph graph, Map<String, Step> steps, Set<String> skippedNow) {
        for (String id : graph.order()) {
            if (!(steps.get(id) instanceof Step.Finished) && !skippedNow.contains(id)) return false;
        }
        return true;
    }

    private static ObjectNode result(Graph graph, Map<String, Step> steps) {
        String id = graph.result();
        if (steps.get(id) instanceof Step.Finished f && f.record().state() == StepState.DONE) {
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
