package dev.weft.builtin;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Problems;
import dev.weft.node.Run;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code transform} node: evaluates a JSONata {@code expression} against the node's input fields (one object)
 * and emits the value as {@code result}, stopping an expression that runs longer than {@code timeout_ms}.
 */
public final class TransformNode implements NodeType {

    public static final String TYPE = "transform";
    /** The error type of an expression that does not parse, fails, or runs out of time or depth. */
    public static final String ERROR = "transform_error";
    public static final long TIMEOUT_DEFAULT_MILLIS = 5_000;
    public static final long TIMEOUT_MAX_MILLIS = 60_000;
    /** Nesting allowed to an evaluation: about 100 levels of a recursive function, well inside a thread's stack. */
    static final int MAX_DEPTH = 300;

    private final ParsedExpressions parsed = new ParsedExpressions(ParsedExpressions.PER_THREAD_DEFAULT);

    @Override
    public String id() {
        return TYPE;
    }

    @Override
    public Run run() {
        return Run.pure(this::run);
    }

    @Override
    public void check(ObjectNode settings, Problems problems) {
        check(settings, problems, true);
    }

    private static void check(ObjectNode settings, Problems problems, boolean unrendered) {
        JsonNode expression = settings.get("expression");
        if (Settings.requireText(expression, "expression", problems) && !Settings.deferred(expression, unrendered)) {
            try {
                Jsonata.jsonata(expression.asText());
            } catch (JException e) {
                problems.add("expression", "is not a JSONata expression: " + message(e));
            }
        }
        Settings.checkMillis(settings.get("timeout_ms"), TIMEOUT_MAX_MILLIS, "timeout_ms", problems, unrendered);
    }

    public NodeOutput run(NodeCall call) throws InterruptedException {
        ObjectNode settings = call.settings();   // the registry checked them against the schema
        long timeout = settings.path("timeout_ms").asLong(TIMEOUT_DEFAULT_MILLIS);
        Object result;
        try {
            Jsonata expression = parsed.get(settings.get("expression").asText());
            Jsonata.Frame frame = EvaluationBounds.frame(expression, timeout, MAX_DEPTH);
            result = expression.evaluate(JsonataValues.toJava(call.inputs()), frame);
        } catch (RuntimeException | StackOverflowError e) {
            // The library may wrap what its callbacks throw, so the interrupt flag is the reliable sign.
            if (Thread.interrupted()) throw new InterruptedException("the transform was interrupted");
            throw new NodeException(ERROR, message(e), false);
        }
        ObjectNode data = Json.object();
        data.set("result", JsonataValues.toJson(result));
        return NodeOutput.success(data);
    }

    private static String message(Throwable e) {
        if (e instanceof StackOverflowError) return "the expression nests too deeply";
        String message = dev.weft.node.NetworkFailure.message(e);
        // The library prefixes errors it re-throws from inside the evaluator with its old class name.
        message = message.startsWith("JSonataException ") ? message.substring("JSonataException ".length()) : message;
        return e instanceof JException j && j.getLocation() >= 0 ? message + " (at character " + j.getLocation() + ")"
                : message;
    }
}
