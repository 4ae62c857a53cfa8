package dev.weft.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.builtin.CodeNode;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The CPU time and bytes one warm code-node call costs its thread, read from the thread's own counters: a figure
 * that other processes on a busy machine disturb far less than wall time. Same code and inputs as
 * {@link CodeEngineBenchmark#codeNodeWarm}. Uses only the node's public API, so it runs against any build:
 * {@code java -cp bench/target/classes:<benchmarks.jar> dev.weft.bench.CodeNodeCpuCost}.
 */
public final class CodeNodeCpuCost {

    private CodeNodeCpuCost() {}

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        CodeNode node = new CodeNode();
        ObjectNode settings = Json.object().put("code", CodeEngineBenchmark.BODY);
        NodeCall call = new NodeCall(1, "code", settings, (ObjectNode) Json.read(CodeEngineBenchmark.INPUTS), 1,
                Duration.ofSeconds(10));
        for (int round = 1; round <= rounds; round++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long bytes = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < calls; i++) node.run(call);
            System.out.printf("round %d: %.1f µs CPU, %,d bytes allocated per call%n", round,
                    (threads.getCurrentThreadCpuTime() - cpu) / 1_000.0 / calls,
                    (threads.getCurrentThreadAllocatedBytes() - bytes) / calls);
        }
    }
}
