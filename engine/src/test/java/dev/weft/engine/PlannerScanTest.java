package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.TestNodes;
import dev.weft.json.Json;
import dev.weft.flow.EndNode;
import dev.weft.registry.NodeRegistry;
import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import dev.weft.task.TaskError;
import dev.weft.task.TaskOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The planner keeps its ready nodes and retries up to date step by step ({@link Steps}); these tests hold it to the
 * decisions of the planner it replaced, which scanned every node of the run order for each plan (kept here as
 * {@link Scan}), on random flows driven through random step endings, retries and failures.
 */
class PlannerScanTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private final NodeRegistry registry = TestNodes.registry(TestNodes.branch(), TestNodes.counting());

    @Test
    void incremental_plans_are_the_plans_of_a_full_scan_on_random_flows() {
        for (int seed = 1; seed <= 300; seed++) {
            Random random = new Random(seed);
            Graph graph = randomFlow(random, 3 + random.nextInt(25));
            drive(graph, random, "seed " + seed);
        }
    }

    @Test
    void a_task_resumed_from_recorded_steps_plans_as_a_full_scan() {
        Random random = new Random(42);
        Graph graph = randomFlow(random, 20);
        Map<String, Step> recorded = new HashMap<>();
        recorded.put("start", done("start", "success"));
        recorded.put(graph.order().get(1), done(graph.order().get(1), "true"));
        Steps steps = new Steps(graph);
        recorded.forEach(steps::put);

        assertThat(Planner.next(graph, steps, T0)).isEqualTo(Scan.next(graph, recorded, T0));
    }

    /** Plans with both planners until the task ends, ending running steps at random in between. */
    private static void drive(Graph graph, Random random, String what) {
        Map<String, Step> map = new HashMap<>();
        Steps steps = new Steps(graph);
        Instant now = T0;
        for (int round = 0; round < 10_000; round++) {
            Plan plan = Planner.next(graph, steps, now);
            assertThat(plan).as(what + ", round " + round).isEqualTo(Scan.next(graph, map, now));
            if (plan.outcome() != null) return;
            for (String id : plan.skip()) put(map, steps, id, new Step.Finished(StepRecord.skipped(id, "test", now)));
            for (String id : plan.start()) {
                int attempt = map.get(id) instanceof Step.Waiting w ? w.nextAttempt() : 1;
                put(map, steps, id, new Step.Running(attempt, now));
            }
            List<String> running = new ArrayList<>();
            for (String id : graph.order()) if (map.get(id) instanceof Step.Running) running.add(id);
            if (running.isEmpty() && plan.wakeAt() != null) now = plan.wakeAt();
            Collections.shuffle(running, random);
            for (String id : running.subList(0, running.isEmpty() ? 0 : 1 + random.nextInt(running.size()))) {
                Step.Running step = (Step.Running) map.get(id);
                int roll = random.nextInt(100);
                if (roll < 8 && step.attempt() < 3) {
                    put(map, steps, id, new Step.Waiting(step.attempt() + 1, now.plusSeconds(random.nextInt(4))));
                } else if (roll < 10) {
                    put(map, steps, id, new Step.Finished(new StepRecord(id, "test", StepState.FAILED, null, null, null,
                            new TaskError("flaky", "it broke", id), List.of(), now, now)));
                } else {
                    String port = graph.nodeType(id).ports(graph.node(id).settings()).isEmpty() ? "success"
                            : random.nextBoolean() ? "true" : "false";
                    put(map, steps, id, done(id, port));
                }
            }
        }
        throw new AssertionError(what + ": the task did not end");
    }

    private static void put(Map<String, Step> map, Steps steps, String id, Step step) {
        map.put(id, step);
        steps.put(id, step);
    }

    private static Step.Finished done(String id, String port) {
        return new Step.Finished(new StepRecord(id, "test", StepState.DONE, port, null,
                (ObjectNode) Json.read("{\"x\": 1}"), null, List.of(), T0, T0));
    }

    /**
     * start -> {@code size} nodes (conditions and plain ones) -> end: each node is fed by one to three earlier nodes,
     * on a port or as run-after only; nodes without a target feed the end; the document lists them shuffled.
     */
    private Graph randomFlow(Random random, int size) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < size; i++) ids.add("n" + i);
        List<String> documentOrder = new ArrayList<>(ids);
        Collections.shuffle(documentOrder, random);
        Map<String, Boolean> branch = new HashMap<>();
        Flows flow = Flows.flow().start("start", "x:integer").end("end", "out");
        for (String id : documentOrder) {
            branch.put(id, random.nextInt(3) == 0);
            flow.node(id, branch.get(id) ? "branch" : "count");
        }
        Set<String> feeding = new HashSet<>();
        for (int i = 0; i < size; i++) {
            List<String> earlier = new ArrayList<>(List.of("start"));
            earlier.addAll(ids.subList(0, i));
            Collections.shuffle(earlier, random);
            for (String source : earlier.subList(0, Math.min(earlier.size(), 1 + random.nextInt(3)))) {
                flow.edge(source, ids.get(i), mapping(source, branch, random, "x"));
                feeding.add(source);
            }
        }
        for (String id : ids) if (!feeding.contains(id)) flow.edge(id, "end", mapping(id, branch, random, "out"));
        return flow.compile(registry);
    }

    private static String mapping(String source, Map<String, Boolean> branch, Random random, String to) {
        if (source.equals("start")) return "x -> " + to;
        if (branch.get(source)) return (random.nextBoolean() ? "true" : "false") + " -> " + to;
        return random.nextInt(4) == 0 && !to.equals("out") ? "success -> @" : "x -> " + to;
    }

    /** The planner as it was: one scan of the whole run order per plan. */
    static final class Scan {

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
                if (step != null) continue;
                if (id.equals(graph.start())) {
                    start.add(id);
                    continue;
                }
                boolean upstreamSettled = true;
                for (String up : graph.upstream(id)) {
                    if (!(steps.get(up) instanceof Step.Finished) && !skippedNow.contains(up)) upstreamSettled = false;
                }
                if (!upstreamSettled) continue;
                if (inputsArrived(graph, id, steps)) {
                    start.add(id);
                } else {
                    skip.add(id);
                    skippedNow.add(id);
                }
            }
            boolean settled = true;
            for (String id : graph.order()) {
                if (!(steps.get(id) instanceof Step.Finished) && !skippedNow.contains(id)) settled = false;
            }
            if (!unsettled || (start.isEmpty() && wakeAt == null && settled)) {
                return new Plan(List.of(), skip, null, TaskOutcome.completed(result(graph, steps)));
            }
            return new Plan(start, skip, wakeAt, null);
        }

        private static boolean inputsArrived(Graph graph, String id, Map<String, Step> steps) {
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

        private static ObjectNode result(Graph graph, Map<String, Step> steps) {
            String id = graph.result();
            if (steps.get(id) instanceof Step.Finished f && f.record().state() == StepState.DONE
                    && f.record().outputs() != null) {
                return f.record().outputs();
            }
            ObjectNode empty = JsonNodeFactory.instance.objectNode();
            if (graph.node(id).isEnd()) {
                for (String field : EndNode.outputNames(graph.node(id).settings())) empty.putNull(field);
            }
            return empty;
        }
    }
}
