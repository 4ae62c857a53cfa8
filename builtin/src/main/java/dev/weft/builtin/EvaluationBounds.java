package dev.weft.builtin;

import com.dashjoin.jsonata.Jsonata;

/**
 * Stops a JSONata evaluation that runs too long, nests too deep, or whose thread was interrupted (a step timeout
 * or a cancelled task). Time and depth are the library's own bounds; this adds the interruption check in front of
 * them, since the library's evaluator never looks at the thread's interrupt flag.
 */
final class EvaluationBounds {

    /** The frame binding under which the library keeps its entry callback (see {@code Frame.setEvaluateEntryCallback}). */
    private static final String ENTRY_BINDING = "__evaluate_entry";

    private EvaluationBounds() {}

    /** A fresh frame for one evaluation of {@code expression}, bounded in time and depth and interruptible. */
    static Jsonata.Frame frame(Jsonata expression, long timeoutMillis, int maxDepth) {
        Jsonata.Frame frame = expression.createFrame();
        frame.setRuntimeBounds(timeoutMillis, maxDepth);
        // The library offers one entry callback per frame, and its runtime bounds use it: wrap theirs, never drop it.
        if (frame.lookup(ENTRY_BINDING) instanceof Jsonata.EntryCallback bounds) {
            frame.setEvaluateEntryCallback((symbol, input, environment) -> {
                if (Thread.currentThread().isInterrupted()) throw new Interrupted();
                bounds.callback(symbol, input, environment);
            });
        }
        return frame;
    }

    /** Thrown inside the evaluator when the thread is interrupted; the caller turns it into InterruptedException. */
    static final class Interrupted extends RuntimeException {
        Interrupted() {
            super("the evaluation was interrupted", null, false, false);
        }
    }
}
