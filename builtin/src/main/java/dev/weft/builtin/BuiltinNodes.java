package dev.weft.builtin;

import dev.weft.engine.Timer;
import dev.weft.flow.EndNode;
import dev.weft.flow.StartNode;
import dev.weft.node.Credentials;
import dev.weft.registry.NodeRegistry;
import dev.weft.registry.RegisteredType;
import java.time.Clock;
import java.util.List;
import java.util.function.BiConsumer;

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
        return registry(http, credentials, runs, timer, clock, files, fileMaxBytes, List.of(), (type, reason) -> {});
    }

    /**
     * As {@link #registry(HttpNode.Options, Credentials, FlowRuns, Timer, Clock, FileSink, long)}, plus the types of
     * plugins, {@code more}: one whose id a built-in (or an earlier plugin) has is passed to {@code refused}.
     */
    public static NodeRegistry registry(HttpNode.Options http, Credentials credentials, FlowRuns runs, Timer timer,
                                        Clock clock, FileSink files, long fileMaxBytes, List<RegisteredType> more,
                                        BiConsumer<RegisteredType, String> refused) {
        return registry(http, credentials, runs, timer, clock, files, fileMaxBytes, Knowledge.NONE, more, refused);
    }

    /**
     * As {@link #registry(HttpNode.Options, Credentials, FlowRuns, Timer, Clock, FileSink, long, List, BiConsumer)},
     * with the kb_search and kb_ingest nodes working on {@code knowledge}.
     */
    public static NodeRegistry registry(HttpNode.Options http, Credentials credentials, FlowRuns runs, Timer timer,
                                        Clock clock, FileSink files, long fileMaxBytes, Knowledge knowledge,
                                        List<RegisteredType> more, BiConsumer<RegisteredType, String> refused) {
        return registry(http, credentials, runs, timer, clock, files, fileMaxBytes, knowledge, McpTools.NONE,
                Conversations.NONE, more, refused);
    }

    /**
     * As {@link #registry(HttpNode.Options, Credentials, FlowRuns, Timer, Clock, FileSink, long, Knowledge, List,
     * BiConsumer)}, with the agent node reaching MCP servers through {@code mcp} and keeping sessions in
     * {@code conversations}.
     */
    public static NodeRegistry registry(HttpNode.Options http, Credentials credentials, FlowRuns runs, Timer timer,
                                        Clock clock, FileSink files, long fileMaxBytes, Knowledge knowledge,
                                        McpTools mcp, Conversations conversations, List<RegisteredType> more,
                                        BiConsumer<RegisteredType, String> refused) {
        return registry(http, credentials, runs, new DelayNode(timer, clock), files, fileMaxBytes, knowledge, mcp,
                conversations, more, refused);
    }

    private static NodeRegistry registry(HttpNode.Options http, Credentials credentials, FlowRuns runs,
                                         DelayNode delay, FileSink files, long fileMaxBytes) {
        return registry(http, credentials, runs, delay, files, fileMaxBytes, Knowledge.NONE, McpTools.NONE,
                Conversations.NONE, List.of(), (type, reason) -> {});
    }

    private static NodeRegistry registry(HttpNode.Options http, Credentials credentials, FlowRuns runs,
                                         DelayNode delay, FileSink files, long fileMaxBytes, Knowledge knowledge,
                                         McpTools mcp, Conversations conversations, List<RegisteredType> more,
                                         BiConsumer<RegisteredType, String> refused) {
        NodeRegistry registry = new NodeRegistry(List.of(new StartNode(), new EndNode(), new IfNode(),
                new TemplateNode(), new TransformNode(), new HttpNode(http, credentials), new LlmNode(http, credentials),
                new CodeNode(), new SwitchNode(), new MergeNode(), delay, new SubflowNode(runs), new MapNode(runs),
                new FilesNode(http, fileMaxBytes, files), new KbSearchNode(knowledge),
                new KbIngestNode(knowledge, http, fileMaxBytes), new McpNode(mcp),
                new AgentNode(http, credentials, runs, mcp, conversations, knowledge)), more, refused);
        runs.bind(registry);
        return registry;
    }
}
