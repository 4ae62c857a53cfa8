package dev.weft.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.Timer;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Run;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code delay} node: waits {@code duration_ms}, then passes its inputs on with {@code waited_ms}. The wait is
 * a timer entry, not a sleeping thread ({@link #async()}): any number of steps can wait at once. It must be
 * shorter than the step's {@code timeout_ms}; a cancelled task or a timeout removes the timer entry. A wait is not
 * durable: when the process stops, the task is resumed like any running task and the delay starts again.
 */
public final class DelayNode implements NodeType {

    public static final String TYPE = "delay";
    /** The longest wait: 7 days (a step's timeout_ms must be longer still). */
    public static final long MAX_MILLIS = Duration.ofDays(7).toMillis();

    private final Timer timer;
    private final Clock clock;

    /** A delay on its own timer thread, for a registry made without the engine's timer. */
    public DelayNode() {
        this(Async.sharedTimer(), Clock.systemUTC());
    }

    /** A delay that waits on {@code timer}, measuring on {@code clock} (the engine's). */
    public DelayNode(Timer timer, Clock clock) {
        this.timer = timer;
        this.clock = clock;
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
        long millis = call.settings().get("duration_ms").asLong();
        if (millis >= call.timeout().toMillis()) {
            throw Settings.invalid("duration_ms", "must be less than the step's timeout_ms (" + call.timeout().toMillis()
                    + "; got " + millis + "): raise the node's timeout_ms");
        }
        ObjectNode data = call.inputs().deepCopy();
        if (millis <= Integer.MAX_VALUE) data.put("waited_ms", (int) millis);   // as a flow's JSON would write it
        else data.put("waited_ms", millis);
        CompletableFuture<NodeOutput> answer = new CompletableFuture<>();
        if (millis == 0) {
            answer.complete(NodeOutput.success(data));
            return answer;
        }
        Runnable cancelTimer = timer.schedule(clock.instant().plusMillis(millis),
                () -> answer.complete(NodeOutput.success(data)));
        answer.whenComplete((output, failure) -> {
            if (answer.isCancelled()) cancelTimer.run();   // a timeout or a cancelled task: drop the timer entry
        });
        return answer;
    }

    public NodeOutput run(NodeCall call) throws Exception {
        return Async.await(runAsync(call));
    }
}
