package dev.weft.node;

import java.util.concurrent.CompletionStage;

/**
 * How a node type's steps run, one of three kinds; the engine picks the thread and the durability from it.
 */
public sealed interface Run permits Run.Pure, Run.Blocking, Run.Async {

    /** A run that computes its output from its inputs and settings alone, and may block or fail. */
    @FunctionalInterface
    interface Body {
        /**
         * Runs one attempt.
         *
         * @param call the step's rendered settings and inputs
         * @return what the step emits
         * @throws Exception to fail the attempt; a {@link NodeException} carries a stable error type
         */
        NodeOutput apply(NodeCall call) throws Exception;
    }

    /** An attempt started now that answers later. */
    @FunctionalInterface
    interface Start {
        /**
         * Starts one attempt and returns at once.
         *
         * @param call the step's rendered settings and inputs
         * @return the attempt's outcome, completed later; a failed stage fails the attempt
         */
        CompletionStage<NodeOutput> apply(NodeCall call);
    }

    /**
     * Quick, without side effects (a template, a condition): runs on the engine's own thread without a timeout
     * timer, and its dependents start without waiting for its record to be committed, since re-running it after a
     * crash changes nothing outside Weft.
     *
     * @param body the computation
     */
    record Pure(Body body) implements Run {}

    /**
     * May block (a call to a service): runs on the node pool, its record committed before dependents start. It
     * must answer {@link Thread#interrupt()} promptly, since timeouts and cancellation interrupt it.
     *
     * @param body the work of one attempt
     */
    record Blocking(Body body) implements Run {}

    /**
     * Mostly waits (a delay, a child flow): called on an engine thread, it must return at once, and no thread is
     * held until the answer comes. When the step times out or its task is cancelled, the engine cancels the
     * returned stage's {@code toCompletableFuture()}: the node listens for that and stops its work.
     *
     * @param start starts one attempt
     */
    record Async(Start start) implements Run {}

    /**
     * A pure run.
     *
     * @param body the computation
     * @return the run
     */
    static Run pure(Body body) {
        return new Pure(body);
    }

    /**
     * A blocking run.
     *
     * @param body the work of one attempt
     * @return the run
     */
    static Run blocking(Body body) {
        return new Blocking(body);
    }

    /**
     * An asynchronous run.
     *
     * @param start starts one attempt
     * @return the run
     */
    static Run async(Start start) {
        return new Async(start);
    }
}
