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
        return registry(http, credentials, FlowRuns.local(), new DelayNode(), FileSink.NONE,
                FilesNode.MAX_BYTES_DEFAULT);
    }

    /** Every built-in type with subflow, map and delay as a server runs them, and no file store. */
    public static NodeRegistry registry(HttpNode.Options http, Credentials credentials, FlowRuns runs, Timer timer,
                                        Clock clock) {
        return registry(http, credentials, runs, timer, clock, FileSink.NONE, FilesNode.MAX_BYTES_DEFAULT);
    }

    /**
     * Every built-in type, as a server runs them: subflow and map start flows through {@code runs} (which is bound
     * to the registry returned), delay waits on the engine's {@code timer}, and {@code files} keeps what files nodes
     * fetch, each at most {@code fileMaxBytes}.
     */
    public static NodeRegistry registry(HttpNode.Options http, Credentials credentials, FlowRuns runs, Timer timer,
                                        Clock clock, FileSink files, long fileMaxBytes) {
        return registry(http, credentials, runs, new DelayNode(timer, clock), files, fileMaxBytes);
    }

    private static NodeRegistry registry(HttpNode.Options http, Credentials credentials, FlowRuns runs,
                                         DelayNode delay, FileSink files, long fileMaxBytes) {
        NodeRegistry registry = new NodeRegistry(List.of(new StartNode(), new EndNode(), new IfNode(),
                new TemplateNode(), new TransformNode(), new HttpNode(http, credentials), new LlmNode(http, credentials),
                new CodeNode(), new SwitchNode(), new MergeNode(), delay, new SubflowNode(runs), new MapNode(runs),
                new FilesNode(http, fileMaxBytes, files)));
        runs.bind(registry);
        return registry;
    }
}
