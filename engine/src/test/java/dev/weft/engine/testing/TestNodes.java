package dev.weft.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.EndNode;
import dev.weft.flow.StartNode;
import dev.weft.json.Json;
import dev.weft.node.Catalogue;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Shape;
import dev.weft.registry.NodeRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Small node types for tests; each instance counts its calls (see {@link TestNode}). */
public final class TestNodes {

    private TestNodes() {}

    /** A registry of {@code start}, {@code end} and the given types. */
    public static NodeRegistry registry(NodeType... types) {
        List<NodeType> all = new ArrayList<>(List.of(new StartNode(), new EndNode()));
        all.addAll(List.of(types));
        return new NodeRegistry(all);
    }

    /** Type {@code inc}: emits {@code {n: inputs.n + 1}}; declares {@code n} as its only output field. */
    public static TestNode inc() {
        return new TestNode("inc") {
            @Override
            public Shape shape(ObjectNode settings, Catalogue catalogue) {
                return catalogue.shape().withFields(List.of("n"));
            }

            @Override
            protected NodeOutput answer(NodeCall call) {
                JsonNode n = call.inputs().path("n");
                if (!n.isNumber()) throw new NodeException("bad_input", "n must be a number, got " + n, false);
                return NodeOutput.success(Json.object().put("n", n.asInt() + 1));
            }
        };
    }

    /** Type {@code count}: emits its inputs unchanged. */
    public static TestNode counting() {
        return new TestNode("count") {
            @Override
            protected NodeOutput answer(NodeCall call) {
                return NodeOutput.success(call.inputs().deepCopy());
            }
        };
    }

    /** Type {@code echo}: emits its settings as rendered by the engine. */
    public static TestNode echo() {
        return new TestNode("echo") {
            @Override
            protected NodeOutput answer(NodeCall call) {
                return NodeOutput.success(call.settings().deepCopy());
            }
        };
    }

    /**
     * Type {@code branch}, with ports {@code true} and {@code false} (like a condition node): emits its inputs
     * on {@code true} when {@code inputs.n > 0}, else on {@code false}.
     */
    public static TestNode branch() {
        return new TestNode("branch") {
            @Override
            public Shape shape(ObjectNode settings, Catalogue catalogue) {
                return catalogue.shape().withPorts(List.of("true", "false"));
            }

            @Override
            protected NodeOutput answer(NodeCall call) {
                String port = call.inputs().path("n").asDouble() > 0 ? "true" : "false";
                return new NodeOutput(port, call.inputs().deepCopy());
            }
        };
    }

    /** Type {@code flaky}: fails its first {@code failures} calls (error type {@code flaky}), then emits. */
    public static Flaky flaky(int failures) {
        return new Flaky(failures);
    }

    /** See {@link #flaky(int)}; a node that always fails is {@code flaky(Integer.MAX_VALUE)}. */
    public static final class Flaky extends TestNode {

        private final int failures;
        private final AtomicInteger count = new AtomicInteger();

        Flaky(int failures) {
            super("flaky");
            this.failures = failures;
        }

        @Override
        protected NodeOutput answer(NodeCall call) {
            int n = count.incrementAndGet();
            if (n <= failures) throw new NodeException("flaky", "failure " + n + " of " + failures);
            return NodeOutput.success(Json.object().put("attempt", call.attempt()).put("call", n));
        }
    }
}
