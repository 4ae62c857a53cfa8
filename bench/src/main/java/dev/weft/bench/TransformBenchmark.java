package dev.weft.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.builtin.TransformNode;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@code transform} node as shipped, one call per operation: a JSONata expression over the step's inputs, the
 * way a step runs it (settings and inputs as Jackson trees, the result back as one). {@code small}: a field
 * renamed and a string joined; {@code orders}: filter, map and sum over a list of 20 orders.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TransformBenchmark {

    private final TransformNode node = new TransformNode();
    private NodeCall small;
    private NodeCall orders;

    @Setup
    public void setUp() {
        small = call("{\"greeting\": \"Hello \" & name, \"n\": n + 1}", "{\"name\": \"Ada\", \"n\": 41}");
        StringBuilder list = new StringBuilder("{\"orders\": [");
        for (int i = 0; i < 20; i++) {
            list.append(i == 0 ? "" : ",").append("{\"id\": \"o").append(i).append("\", \"amount\": ")
                    .append(i * 7 % 50).append(", \"paid\": ").append(i % 3 != 0).append('}');
        }
        orders = call("{\"ids\": orders[paid and amount > 10].id, \"total\": $sum(orders[paid].amount)}",
                list.append("]}").toString());
    }

    private static NodeCall call(String expression, String inputs) {
        ObjectNode settings = Json.object();
        settings.put("expression", expression);
        return new NodeCall(1, "transform", settings, (ObjectNode) Json.read(inputs), 1, Duration.ofSeconds(10));
    }

    @Benchmark
    public NodeOutput small() throws Exception {
        return node.run(small);
    }

    @Benchmark
    public NodeOutput orders() throws Exception {
        return node.run(orders);
    }
}
