package dev.weft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.Engine;
import dev.weft.engine.Graph;
import dev.weft.engine.Limits;
import dev.weft.engine.TaskListener;
import dev.weft.engine.TaskRequest;
import dev.weft.engine.Timer;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowDocument;
import dev.weft.flow.FlowValidator;
import dev.weft.json.Json;
import dev.weft.registry.NodeRegistry;
import dev.weft.builtin.BuiltinNodes;
import dev.weft.builtin.FlowRuns;
import dev.weft.builtin.HttpNode;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine on a flow at the size limit (10,000 nodes), with a journal that keeps nothing and everything on the
 * calling thread, so the figure is the planning and bookkeeping of 10,000 steps: it shows whether advancing a task
 * costs in proportion to what changed or to the size of the flow.
 * <ul>
 *   <li>{@code chain}: start -> 9,998 {@code template} nodes in sequence -> end; each template copies a short text
 *   unchanged, and each step makes the next one ready.</li>
 *   <li>{@code fanout}: start -> 9,998 {@code delay} nodes of 0 ms side by side -> end. A delay is not pure, so
 *   each one's end is recorded and planned on its own, as the answers of parallel http calls are.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class PlannerBenchmark {

    @Param({"chain", "fanout"})
    public String shape;

    private Engine engine;
    private Graph graph;
    private final AtomicLong ids = new AtomicLong();
    private Map<String, JsonNode> inputs;
    private final DueNow timer = new DueNow();

    @Setup(Level.Trial)
    public void setUp() {
        NodeRegistry registry = BuiltinNodes.registry(BuiltinNodes.Services.of(HttpNode.Options.DEFAULT)
                .withRuns(FlowRuns.local(), timer, Clock.systemUTC()));
        int middle = FlowDocument.MAX_NODES - 2;
        Flow flow = new FlowValidator(registry).check(shape.equals("chain") ? chain(middle) : fanOut(middle));
        graph = Graph.compile(flow, registry, "start", "end", "end");
        EngineBenchmark.DirectExecutor direct = new EngineBenchmark.DirectExecutor();
        engine = new Engine(new Engine.Parts(new EngineBenchmark.NullJournal(), direct, direct, timer,
                Clock.systemUTC(), Limits.DEFAULT, TaskListener.NONE));
        ObjectNode data = Json.object();
        data.putObject("data").put("text", "Ada");
        inputs = Map.of("start", data);
    }

    @Benchmark
    public TaskOutcome tenThousandNodes() throws Exception {
        CompletableFuture<TaskOutcome> run = engine.start(new TaskRequest(ids.incrementAndGet(), graph, inputs, List.of()));
        while (!run.isDone()) {
            Runnable due = timer.due.poll();
            if (due == null) throw new IllegalStateException("the task waits for nothing");
            due.run();
        }
        TaskOutcome outcome = run.get();
        if (outcome.state() != TaskState.COMPLETED) throw new IllegalStateException(String.valueOf(outcome));
        return outcome;
    }

    /**
     * A timer for one thread: what is due now (a 0 ms delay) is queued for the benchmark to run; later entries
     * (step timeouts) never fire.
     */
    static final class DueNow implements Timer {
        final ArrayDeque<Runnable> due = new ArrayDeque<>();

        @Override
        public Runnable schedule(Instant at, Runnable action) {
            if (at.isAfter(Instant.now())) return () -> { };
            due.add(action);
            return () -> due.remove(action);
        }
    }

    /** start(text) -> t1 ("{{text}}") -> t2 ("{{text}}") ... -> end(text). */
    static JsonNode chain(int length) {
        ObjectNode flow = ends();
        ArrayNode nodes = flow.withArray("nodes");
        ArrayNode edges = flow.putArray("edges");
        String previous = "start";
        for (int i = 1; i <= length; i++) {
            nodes.add(template("t" + i));
            edge(edges, previous, "t" + i);
            previous = "t" + i;
        }
        edge(edges, previous, "end");
        return flow;
    }

    /** start(text) -> d1 .. dN, each a delay of 0 ms -> end(text): the end takes the first text that arrives. */
    static JsonNode fanOut(int width) {
        ObjectNode flow = ends();
        ArrayNode nodes = flow.withArray("nodes");
        ArrayNode edges = flow.putArray("edges");
        for (int i = 1; i <= width; i++) {
            ObjectNode delay = nodes.addObject().put("id", "d" + i).put("type", "delay");
            delay.putObject("settings").put("duration_ms", 0);
            edge(edges, "start", "d" + i);
            edge(edges, "d" + i, "end");
        }
        return flow;
    }

    private static ObjectNode ends() {
        ObjectNode flow = Json.object();
        ArrayNode nodes = flow.putArray("nodes");
        ObjectNode start = nodes.addObject().put("id", "start").put("type", "start");
        start.putObject("settings").putObject("inputs").putObject("text").put("type", "string");
        ObjectNode end = nodes.addObject().put("id", "end").put("type", "end");
        end.putObject("settings").putObject("outputs").putObject("text").put("type", "string");
        return flow;
    }

    private static ObjectNode template(String id) {
        ObjectNode node = Json.object().put("id", id).put("type", "template");
        node.putObject("settings").put("template", "{{text}}");
        return node;
    }

    private static void edge(ArrayNode edges, String from, String to) {
        ObjectNode edge = edges.addObject().put("from_node", from).put("to_node", to);
        edge.putArray("fields_mapping").addObject().put("from_field", "text").put("to_field", "text");
    }
}
