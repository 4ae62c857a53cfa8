package dev.weft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.builtin.BuiltinNodes;
import dev.weft.builtin.HttpNode;
import dev.weft.engine.Engine;
import dev.weft.engine.Graph;
import dev.weft.engine.Limits;
import dev.weft.engine.TaskListener;
import dev.weft.engine.TaskRequest;
import dev.weft.engine.Timer;
import dev.weft.flow.Flow;
import dev.weft.flow.FlowValidator;
import dev.weft.json.Json;
import dev.weft.registry.NodeRegistry;
import dev.weft.task.TaskJournal;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * The engine's overhead per node: a task of start -> 10 template nodes in sequence -> end, run in memory (a journal
 * that keeps nothing), so the figure is planning, input gathering, template rendering and bookkeeping. Divide the
 * time per task by 12 nodes. {@code pools=direct} runs everything on the calling thread; {@code pools=threads}
 * uses real pools, as the server does (adds two thread hand-offs per step).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineBenchmark {

    public static final int CHAIN = 10;

    @Param({"direct", "threads"})
    public String pools;

    private Engine engine;
    private Graph graph;
    private ExecutorService nodes;
    private ExecutorService control;
    private final AtomicLong ids = new AtomicLong();
    private Map<String, JsonNode> inputs;

    @Setup(Level.Trial)
    public void setUp() {
        NodeRegistry registry = BuiltinNodes.registry(HttpNode.Options.DEFAULT);
        Flow flow = new FlowValidator(registry).check(chain(CHAIN));
        graph = Graph.compile(flow, registry, "start", "end", "end");
        if (pools.equals("direct")) {
            nodes = new DirectExecutor();
            control = nodes;
        } else {
            nodes = Executors.newFixedThreadPool(4);
            control = Executors.newFixedThreadPool(2);
        }
        Timer timer = (at, action) -> () -> { };   // nothing times out in this benchmark
        engine = new Engine(new Engine.Parts(new NullJournal(), nodes, control, timer, Clock.systemUTC(),
                Limits.DEFAULT, TaskListener.NONE));
        ObjectNode data = Json.object();
        data.putObject("data").put("name", "Ada");
        inputs = Map.of("start", data);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        nodes.shutdownNow();
        control.shutdownNow();
    }

    @Benchmark
    public TaskOutcome chainOfTenTemplates() throws Exception {
        TaskOutcome outcome = engine.start(new TaskRequest(ids.incrementAndGet(), graph, inputs, List.of())).get();
        if (outcome.state() != TaskState.COMPLETED) throw new IllegalStateException(String.valueOf(outcome));
        return outcome;
    }

    /** start(name) -> t1 ("{{name}}!") -> t2 ("{{text}}!") ... -> end(text). */
    static JsonNode chain(int length) {
        ObjectNode flow = Json.object();
        ArrayNode nodes = flow.putArray("nodes");
        ArrayNode edges = flow.putArray("edges");
        ObjectNode start = nodes.addObject().put("id", "start").put("type", "start");
        start.putObject("settings").putObject("inputs").putObject("name").put("type", "string");
        String previous = "start";
        String field = "name";
        for (int i = 1; i <= length; i++) {
            String id = "t" + i;
            nodes.addObject().put("id", id).put("type", "template").putObject("settings")
                    .put("template", "{{" + (i == 1 ? "name" : "text") + "}}+");
            edge(edges, previous, field, id, i == 1 ? "name" : "text");
            previous = id;
            field = "text";
        }
        ObjectNode end = nodes.addObject().put("id", "end").put("type", "end");
        end.putObject("settings").putObject("outputs").putObject("text").put("type", "string");
        edge(edges, previous, field, "end", "text");
        return flow;
    }

    private static void edge(ArrayNode edges, String from, String fromField, String to, String toField) {
        ObjectNode edge = edges.addObject().put("from_node", from).put("to_node", to);
        edge.putArray("fields_mapping").addObject().put("from_field", fromField).put("to_field", toField);
    }

    /** A journal that commits instantly and keeps nothing: the benchmark measures the engine, not storage. */
    static final class NullJournal implements TaskJournal {
        private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<Void> stepFinished(long taskId, dev.weft.task.StepRecord step) {
            return DONE;
        }

        @Override
        public CompletionStage<Void> taskFinished(long taskId, TaskOutcome outcome, Instant at) {
            return DONE;
        }
    }

    /** Runs each task on the calling thread. */
    static final class DirectExecutor extends AbstractExecutorService {
        @Override
        public void execute(Runnable command) {
            command.run();
        }

        @Override
        public void shutdown() {}

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
