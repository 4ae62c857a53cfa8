package dev.weft.builtin;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A JSONata expression evaluated outside a flow (a webhook's mapping of a request to start inputs), the way the
 * transform node evaluates one: parsed once per thread, bounded in time and nesting depth, its result turned back
 * into JSON.
 */
public final class JsonataMapping {

    /** Nesting allowed, as the transform node's. */
    public static final int MAX_DEPTH = TransformNode.MAX_DEPTH;
    private static final ParsedExpressions PARSED = new ParsedExpressions(ParsedExpressions.PER_THREAD_DEFAULT);

    private JsonataMapping() {}

    /** Why {@code expression} does not parse, or empty when it does. */
    public static Optional<String> problem(String expression) {
        try {
            Jsonata.jsonata(expression);
            return Optional.empty();
        } catch (JException e) {
            return Optional.of(message(e));
        } catch (RuntimeException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }

    /** The expression's result over {@code input}; throws {@link Failed} saying why it failed or ran out of time. */
    public static JsonNode evaluate(String expression, JsonNode input, long timeoutMillis) {
        try {
            Jsonata parsed = PARSED.get(expression);
            return JsonataValues.toJson(parsed.evaluate(JsonataValues.toJava(input),
                    EvaluationBounds.frame(parsed, timeoutMillis, MAX_DEPTH)));
        } catch (JException e) {
            throw new Failed(message(e));
        } catch (StackOverflowError e) {
            throw new Failed("the expression nests too deeply");
        } catch (RuntimeException e) {
            throw new Failed(String.valueOf(e.getMessage()));
        }
    }

    private static String message(JException e) {
        String message = String.valueOf(e.getMessage());
        message = message.startsWith("JSonataException ") ? message.substring("JSonataException ".length()) : message;
        return e.getLocation() >= 0 ? message + " (at character " + e.getLocation() + ")" : message;
    }

    /** A mapping that failed: its message says why (no input data in it beyond what the library reports). */
    public static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message, null, false, false);
        }
    }
}
