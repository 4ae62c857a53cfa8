package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Run;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * The {@code python} node: runs Python 3 code in a {@link PythonRuntime} sandbox. The code is the body of
 * {@code def main(inputs)}; the dict it returns is the output (another value is emitted as {@code result}), with
 * the {@code print} lines in {@code logs}. Like {@code code}, the code is saved as written: {@code {{ }}} in it
 * is Python, never a reference.
 */
public final class PythonNode implements NodeType {

    public static final String TYPE = "python";
    /** The code raised, does not parse, or returned something that is not JSON. */
    public static final String ERROR = "python_error";
    /** The code ran longer than {@code timeout_ms}. */
    public static final String TIME_LIMIT = "python_time_limit";
    /** The code allocated more than {@code memory_mb}. */
    public static final String MEMORY_LIMIT = "python_memory_limit";
    public static final long TIMEOUT_DEFAULT_MILLIS = 1_000;
    public static final long MEMORY_DEFAULT_MB = 64;

    private final PythonRuntime runtime;

    public PythonNode(PythonRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public String id() {
        return TYPE;
    }

    @Override
    public Run run() {
        return Run.async(this::runAsync);
    }

    public CompletionStage<NodeOutput> runAsync(NodeCall call) {
        ObjectNode settings = call.settings();
        long timeout = settings.path("timeout_ms").asLong(TIMEOUT_DEFAULT_MILLIS);
        long memory = settings.path("memory_mb").asLong(MEMORY_DEFAULT_MB);
        CompletableFuture<ObjectNode> answer = runtime.run(settings.get("code").asText(), call.inputs(), timeout, memory);
        CompletableFuture<NodeOutput> output = answer.handle((frame, failure) -> {
            if (failure instanceof TimeoutException) {
                throw new NodeException(TIME_LIMIT, "the code ran longer than " + timeout + " ms (timeout_ms)", false);
            }
            if (failure instanceof NodeException e) throw e;
            if (failure != null) {
                throw new NodeException(PythonRuntime.UNAVAILABLE, "the Python sandbox failed: "
                        + dev.weft.node.NetworkFailure.message(dev.weft.concurrent.Causes.unwrap(failure)), true);
            }
            return output(frame);
        });
        // A cancelled step (a timeout or a cancelled task) kills the run in its sandbox.
        output.whenComplete((value, failure) -> {
            if (output.isCancelled()) answer.cancel(true);
        });
        return output;
    }

    /** Blocks for the answer: for callers without the engine. */
    public NodeOutput run(NodeCall call) throws Exception {
        return Async.await(runAsync(call));
    }

    private static NodeOutput output(ObjectNode frame) {
        if (!frame.path("ok").asBoolean()) {
            String type = frame.path("error").asText(ERROR);
            boolean retryable = type.equals(PythonRuntime.UNAVAILABLE);
            throw new NodeException(type, frame.path("message").asText("the code failed"), retryable);
        }
        JsonNode value = frame.get("output");
        ObjectNode data = value instanceof ObjectNode object ? object : Json.object();
        ArrayNode logs = data.putArray("logs");
        if (frame.get("logs") instanceof ArrayNode lines) logs.addAll(lines);
        return NodeOutput.success(data);
    }
}
