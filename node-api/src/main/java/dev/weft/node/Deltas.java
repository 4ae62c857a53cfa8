package dev.weft.node;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a step tells watchers what it is doing before it finishes: the text a model streams, a tool call starting
 * and ending. Deltas are live only: they reach the task's event stream ({@code delta} events) and are not stored;
 * the step's output is the record. Calls must not block, and may come from any thread.
 */
public interface Deltas {

    /** Nobody listens: every call does nothing. */
    Deltas NONE = new Deltas() {};

    /**
     * A piece of text the model produced, in order.
     *
     * @param text the new text
     */
    default void text(String text) {}

    /**
     * A tool call begins.
     *
     * @param callId    the call's id (the model's, or one the node made)
     * @param tool      the tool's name
     * @param arguments the arguments it is called with
     */
    default void toolStarted(String callId, String tool, JsonNode arguments) {}

    /**
     * A tool call ended.
     *
     * @param callId     the call's id, as {@link #toolStarted} gave it
     * @param tool       the tool's name
     * @param ok         false when the tool failed (its error went to the model)
     * @param durationMs how long it took
     */
    default void toolEnded(String callId, String tool, boolean ok, long durationMs) {}
}
