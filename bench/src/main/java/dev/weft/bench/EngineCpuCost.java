package dev.weft.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.weft.builtin.BuiltinNodes;
import dev.weft.builtin.HttpNode;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The CPU time and bytes one task of {@link EngineBenchmark}'s short chain (start -> 10 templates -> end, on the
 * calling thread) costs its thread, read from the thread's own counters: a figure that other processes on a busy
 * machine disturb far less than wall time. Uses only the engine's public API, so it runs against any build:
 * {@code java -cp bench/target/classes:<benchmarks.jar> dev.weft.bench.EngineCpuCost [tasks] [rounds]}.
 */
public final class EngineCpuCost {

    private EngineCpuCost() {}

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        NodeRegistry registry = BuiltinNodes.registry(HttpNode.Options.DEFAULT);
        Flow flow = new FlowValidator(registry).check(EngineBenchmark.chain(EngineBenchmark.CHAIN));
        Graph graph = Graph.compile(flow, registry, "start", "end", "end");
        EngineBenchmark.DirectExecutor direct = new EngineBenchmark.DirectExecutor();
        Timer timer = (at, action) -> () -> { };
        Engine engine = new Engine(new Engine.Parts(new EngineBenchmark.NullJournal(), direct, direct, timer,
                Clock.systemUTC(), Limits.DEFAULT, TaskListener.NONE));
        ObjectNode data = Json.object();
        data.putObject("data").put("name", "Ada");
        Map<String, JsonNode> inputs = Map.of("start", data);
        long id = 0;
        for (int round = 1; round <= rounds; round++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long bytes = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < tasks; i++) {
                TaskOutcome outcome = engine.start(new TaskRequest(++id, graph, inputs, List.of())).get();
                if (outcome.state() != TaskState.COMPLETED) throw new IllegalStateException(String.valueOf(outcome));
            }
            System.out.printf("round %d: %.1f µs CPU, %,d bytes allocated per task%n", round,
                    (threads.getCurrentThreadCpuTime() - cpu) / 1_000.0 / tasks,
                    (threads.getCurrentThreadAllocatedBytes() - bytes) / tasks);
        }
    }
}
