package dev.weft.nodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.Problems;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeDescription;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import java.time.Duration;

/**
 * The {@code delay} node: waits {@code duration_ms}, then passes its inputs on with {@code waited_ms}. The wait
 * holds a node thread (the engine cannot park a step yet), so it is bounded: at most {@value #MAX_MILLIS} ms,
 * and less than the step's {@code timeout_ms}. A cancelled task or a timeout interrupts it.
 */
public final class DelayNode implements NodeType {

    public static final String TYPE = "delay";
    public static final long MAX_MILLIS = 300_000;
    private static final NodeCatalogue CATALOGUE = NodeCatalogue.load(TYPE);

    private final Sleeper sleeper;

    public DelayNode() {
        this(Sleeper.REAL);
    }

    DelayNode(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public NodeDescription describe() {
        return CATALOGUE.description();
    }

    @Override
    public void validate(ObjectNode settings, Problems problems) {
        CATALOGUE.schema().check(settings, problems, true);
    }

    @Override
    public NodeOutput run(NodeCall call) throws InterruptedException {
        Problems problems = new Problems();
        CATALOGUE.schema().check(call.settings(), problems, false);
        Settings.throwIfAny(problems);
        long millis = call.settings().get("duration_ms").asLong();
        if (millis >= call.timeout().toMillis()) {
            throw Settings.invalid("duration_ms", "must be less than the step's timeout_ms (" + call.timeout().toMillis()
                    + "; got " + millis + "): raise the node's timeout_ms");
        }
        if (millis > 0) sleeper.sleep(Duration.ofMillis(millis));
        ObjectNode data = call.inputs().deepCopy();
        data.put("waited_ms", (int) millis);   // at most MAX_MILLIS
        return NodeOutput.success(data);
    }
}
