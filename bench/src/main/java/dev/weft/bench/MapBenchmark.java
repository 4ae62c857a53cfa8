package dev.weft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.builtin.BuiltinNodes;
import dev.weft.builtin.FlowRuns;
import dev.weft.builtin.HttpNode;
import dev.weft.builtin.PublishedFlows;
import dev.weft.engine.Engine;
import dev.weft.engine.Graph;
import dev.weft.engine.Limits;
import dev.weft.engine.ScheduledTimer;
import dev.weft.engine.TaskListener;
import dev.weft.engine.TaskRequest;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowValidator;
import dev.weft.json.Json;
import dev.weft.registry.NodeRegistry;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@code map} node over {@value #ITEMS} items of a cheap inline sub-flow (start -> one template -> end), as the
 * server runs it: real pools (4 node threads, 2 engine threads), items in memory, the parent task's journal keeping
 * nothing. Items per second = {@value #ITEMS} / time per op. The fork runs with a 256 MB heap, and each iteration
 * prints the heap's peak use, to show that memory stays bounded (nothing is kept per finished item).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgs = {"-Xmx256m"})
public class MapBenchmark {

    public static final int ITEMS = 10_000;

    @Param({"16"})
    public int concurrency;

    private ExecutorService nodes;
    private ExecutorService control;
    private ScheduledTimer timer;
    private Engine engine;
    private FlowRuns runs;
    private Graph graph;
    private Map<String, JsonNode> inputs;
    private final AtomicLong ids = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() {
        nodes = Executors.newFixedThreadPool(4);
        control = Executors.newFixedThreadPool(2);
        Clock clock = Clock.systemUTC();
        timer = new ScheduledTimer(clock);
        runs = new FlowRuns(PublishedFlows.NONE, nodes, control, timer, clock);
        NodeRegistry registry = BuiltinNodes.registry(BuiltinNodes.Services.of(HttpNode.Options.DEFAULT)
                .withRuns(runs, timer, clock));
        engine = new Engine(new Engine.Parts(new EngineBenchmark.NullJournal(), nodes, control, timer, clock,
                Limits.DEFAULT, TaskListener.NONE));
        Flow flow = new FlowValidator(registry).check(Json.read(FLOW.replace("CONCURRENCY", String.valueOf(concurrency))));
        graph = Graph.compile(flow, registry, "start", "end", "end");
        ObjectNode data = Json.object();
        ArrayNode items = data.putObject("data").putArray("items");
        for (int i = 0; i < ITEMS; i++) items.add("item-" + i);
        inputs = Map.of("start", data);
    }

    @Setup(Level.Iteration)
    public void resetPeak() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) pool.resetPeakUsage();
    }

    @TearDown(Level.Iteration)
    public void printPeak() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
        }
        System.out.printf("  [heap peak %d MB; in-memory runs left %d]%n", peak >> 20, runs.runningInMemory());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        nodes.shutdownNow();
        control.shutdownNow();
        timer.close();
    }

    @Benchmark
    public TaskOutcome mapTenThousandItems() throws Exception {
        TaskOutcome outcome = engine.start(new TaskRequest(ids.incrementAndGet(), graph, inputs, List.of())).get();
        if (outcome.state() != TaskState.COMPLETED) throw new IllegalStateException(String.valueOf(outcome.error()));
        if (outcome.result().get("results").size() != ITEMS) throw new IllegalStateException("results lost");
        return outcome;
    }

    private static final String FLOW = """
            {"name": "map bench", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {"items": {"type": "array"}}}},
              {"id": "each", "type": "map", "settings": {"concurrency": CONCURRENCY, "flow": {
                "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"item": {"type": "string"}}}},
                  {"id": "label", "type": "template", "settings": {"template": "seen {{start.item}}"}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"text": {"type": "string"}}}}],
                "edges": [
                  {"from_node": "start", "to_node": "label", "fields_mapping": [{"from_field": "item", "to_field": "item"}]},
                  {"from_node": "label", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "text"}]}]}}},
              {"id": "end", "type": "end", "settings": {"outputs": {"results": {"type": "array"}}}}],
             "edges": [
              {"from_node": "start", "to_node": "each", "fields_mapping": [{"from_field": "items", "to_field": "items"}]},
              {"from_node": "each", "to_node": "end", "fields_mapping": [{"from_field": "results", "to_field": "results"}]}]}
            """;
}
