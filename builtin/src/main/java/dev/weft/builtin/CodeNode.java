package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Problems;
import dev.weft.node.Run;
import org.mozilla.javascript.EcmaError;
import org.mozilla.javascript.EvaluatorException;
import org.mozilla.javascript.JavaScriptException;
import org.mozilla.javascript.RhinoException;

/**
 * The {@code code} node: runs JavaScript in a {@link JsSandbox}. The input fields arrive as the object
 * {@code inputs}; the object the code returns is the output (another value is emitted as {@code result}), with
 * the {@code console} lines in {@code logs}. The code is saved as written: {@code {{ }}} in it is JavaScript,
 * never a reference, so that upstream data cannot inject code.
 */
public final class CodeNode implements NodeType {

    public static final String TYPE = "code";
    /** The code threw, or does not parse. */
    public static final String ERROR = "code_error";
    /** The code used more CPU time than {@code timeout_ms}. */
    public static final String TIME_LIMIT = "code_time_limit";
    /** The code allocated more than {@code memory_mb}. */
    public static final String MEMORY_LIMIT = "code_memory_limit";
    public static final long TIMEOUT_DEFAULT_MILLIS = 1_000;
    public static final long TIMEOUT_MAX_MILLIS = 30_000;
    public static final long MEMORY_DEFAULT_MB = 64;
    /** Nested calls allowed: deep enough for real recursion, far from exhausting memory. */
    static final int MAX_DEPTH = 2_000;

    private final JsSandbox sandbox = new JsSandbox(MAX_DEPTH, 256);

    @Override
    public String id() {
        return TYPE;
    }

    @Override
    public Run run() {
        return Run.blocking(this::run);
    }

    @Override
    public void check(ObjectNode settings, Problems problems) {
        check(settings, problems, true);
    }

    private void check(ObjectNode settings, Problems problems, boolean unrendered) {
        JsonNode code = settings.get("code");
        if (code != null && code.isTextual()) {
            try {
                sandbox.compile(code.asText());
            } catch (EvaluatorException e) {
                problems.add("code", "does not parse: " + describe(e));
            }
        }
    }

    public NodeOutput run(NodeCall call) throws InterruptedException {
        Problems problems = new Problems();
        check(call.settings(), problems, false);
        Settings.throwIfAny(problems);
        ObjectNode settings = call.settings();
        long timeout = settings.path("timeout_ms").asLong(TIMEOUT_DEFAULT_MILLIS);
        long memory = settings.path("memory_mb").asLong(MEMORY_DEFAULT_MB);
        JsSandbox.Result result;
        try {
            result = sandbox.run(settings.get("code").asText(), Json.write(call.inputs()), timeout * 1_000_000,
                    memory * 1024 * 1024);
        } catch (JsSandbox.Stopped e) {
            switch (e.limit) {
                case TIME -> throw new NodeException(TIME_LIMIT, "the code used more than " + timeout
                        + " ms of CPU time (timeout_ms)", false);
                case MEMORY -> throw memoryLimit(memory);
                default -> throw new InterruptedException("the code was interrupted");
            }
        } catch (OutOfMemoryError e) {
            throw memoryLimit(memory);
        } catch (StackOverflowError e) {
            throw new NodeException(ERROR, "the code nests too deeply", false);
        } catch (RhinoException e) {
            throw new NodeException(ERROR, describe(e), false);
        }
        return NodeOutput.success(output(result));
    }

    private static NodeException memoryLimit(long memory) {
        return new NodeException(MEMORY_LIMIT, "the code allocated more than " + memory + " MB (memory_mb)", false);
    }

    private static ObjectNode output(JsSandbox.Result result) {
        ObjectNode data;
        JsonNode value = result.json() == null ? null : Json.read(result.json());
        if (value == null || value.isNull()) {
            data = Json.object();
        } else if (value.isObject()) {
            data = (ObjectNode) value;
        } else {
            data = Json.object();
            data.set("result", value);
        }
        ArrayNode logs = data.putArray("logs");
        result.logs().forEach(logs::add);
        return data;
    }

    /** What the script threw, in JavaScript's words, with the line of the code it came from. */
    static String describe(RhinoException e) {
        String message;
        if (e instanceof JavaScriptException js) message = js.details();
        else if (e instanceof EcmaError ecma) message = ecma.getName() + ": " + ecma.getErrorMessage();
        else message = e.details();
        if (message.startsWith("Exceeded maximum stack depth")) {
            message = "RangeError: too much recursion (more than " + MAX_DEPTH + " nested calls)";
        }
        return e.lineNumber() > 0 ? message + " (line " + e.lineNumber() + ")" : message;
    }
}
