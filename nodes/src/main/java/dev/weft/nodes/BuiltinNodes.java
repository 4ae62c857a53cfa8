package dev.weft.nodes;

import dev.weft.engine.Timer;
import dev.weft.node.Credentials;
import dev.weft.node.EndNode;
import dev.weft.node.NodeRegistry;
import dev.weft.node.StartNode;
import java.time.Clock;
import java.util.List;

/** The node types every Weft instance has, in one registry: the one place they are listed. */
public final class BuiltinNodes {

    private BuiltinNodes() {}

    /** Every built-in type, without stored credentials: nodes that name one fail when they run. */
    public static NodeRegistry registry(HttpNode.Options http) {
        return registry(http, Credentials.NONE);
    }

    /**
     * Every built-in type; {@code credentials} holds the secrets that llm and http nodes name. subflow and map run
     * with no published flows (inline sub-flows only), delay on a timer thread of its own.
     */
    public static NodeRegistry registry(HttpNode.Options http, Credentials credentials) {
        return registry(http, credentials, FlowRuns.local(), new DelayNode());
    }

    /**
     * Every built-in type, as a server runs them: subflow and map start flows through {@code runs} (which is bound
     * to the registry returned), delay waits on the engine's {@code timer}.
     */
    public static NodeRegistry registry(HttpNode.Options http, Credentials credentials, FlowRuns runs, Timer timer,
                                        Clock clock) {
        return registry(http, credentials, runs, new DelayNode(timer, clock));
    }

    private static NodeRegistry registry(HttpNode.Options http, Credentials credentials, FlowRuns runs,
                                         DelayNode delay) {
        NodeRegistry registry = new NodeRegistry(List.of(new StartNode(), new EndNode(), new IfNode(),
                new TemplateNode(), new TransformNode(), new HttpNode(http, credentials), new LlmNode(http, credentials),
                new CodeNode(), new SwitchNode(), new MergeNode(), delay, new SubflowNode(runs), new MapNode(runs)));
        runs.bind(registry);
        return registry;
    }
}
