package dev.weft.builtin;

import dev.weft.engine.ScheduledTimer;
import dev.weft.engine.Timer;
import dev.weft.node.NodeOutput;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** Helpers for asynchronous nodes: a blocking {@code run} for callers without the engine, a default timer. */
final class Async {

    private static volatile Timer shared;

    private Async() {}

    /** Waits for an asynchronous answer on this thread; an interrupt cancels it (as the engine's timeout does). */
    static NodeOutput await(CompletionStage<NodeOutput> stage) throws Exception {
        CompletableFuture<NodeOutput> future = stage.toCompletableFuture();
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        }
    }

    /** One timer thread for nodes made without the engine's timer (tests, tools). */
    static Timer sharedTimer() {
        Timer timer = shared;
        if (timer == null) {
            synchronized (Async.class) {
                if (shared == null) shared = new ScheduledTimer(Clock.systemUTC());
                timer = shared;
            }
        }
        return timer;
    }
}
