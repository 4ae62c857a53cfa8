package dev.weft.builtin;

import dev.weft.engine.Timer;
import dev.weft.flow.EndNode;
import dev.weft.flow.ScadePlaceholderNode;
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

    /**
     * What the built-in types run on, as one value: a server fills every part, a local run ({@code weft run}, a
     * test) only the ones it needs, starting from {@link #of(HttpNode.Options)}.
     *
     * @param http         how http, llm and the other fetching nodes reach the network
     * @param credentials  the stored secrets that settings name ({@code "credential": "openai"})
     * @param runs         how subflow, map and the agent's flow tools start flows (bound to the registry made)
     * @param timer        the engine's timer, for delay; null: delay waits on a timer thread of its own
     * @param clock        the clock delay and the timers read
     * @param files        Weft's file store: where fetched or generated files are kept, and read back from
     * @param fileMaxBytes the largest file a node may keep or read
     * @param knowledge    the knowledge bases kb_search, kb_ingest and the agent's knowledge tool work on
     * @param mcp          the MCP servers the mcp node and the agent reach
     * @param conversations the agent's stored sessions
     * @param more         plugin types, listed after the built-ins
     * @param refused      told of a plugin type whose id a built-in (or an earlier plugin) already has
     * @param python       the sandbox the python node runs code in (its zygote starts on the first run)
     */
    public record Services(HttpNode.Options http, Credentials credentials, FlowRuns runs, Timer timer, Clock clock,
                           FileSink files, long fileMaxBytes, Knowledge knowledge, McpTools mcp,
                           Conversations conversations, List<RegisteredType> more,
                           BiConsumer<RegisteredType, String> refused, PythonRuntime python) {

        /** Only {@code http}: no credentials, inline sub-flows only, no file store, knowledge, MCP or plugins. */
        public static Services of(HttpNode.Options http) {
            return new Services(http, Credentials.NONE, FlowRuns.local(), null, Clock.systemUTC(), FileSink.NONE,
                    FilesNode.MAX_BYTES_DEFAULT, Knowledge.NONE, McpTools.NONE, Conversations.NONE, List.of(),
                    (type, reason) -> {}, new PythonRuntime());
        }

        public Services withCredentials(Credentials credentials) {
            return new Services(http, credentials, runs, timer, clock, files, fileMaxBytes, knowledge, mcp,
                    conversations, more, refused, python);
        }

        /** subflow and map start flows through {@code runs}; delay waits on {@code timer}, reading {@code clock}. */
        public Services withRuns(FlowRuns runs, Timer timer, Clock clock) {
            return new Services(http, credentials, runs, timer, clock, files, fileMaxBytes, knowledge, mcp,
                    conversations, more, refused, python);
        }

        public Services withFiles(FileSink files, long fileMaxBytes) {
            return new Services(http, credentials, runs, timer, clock, files, fileMaxBytes, knowledge, mcp,
                    conversations, more, refused, python);
        }

        public Services withKnowledge(Knowledge knowledge) {
            return new Services(http, credentials, runs, timer, clock, files, fileMaxBytes, knowledge, mcp,
                    conversations, more, refused, python);
        }

        public Services withMcp(McpTools mcp, Conversations conversations) {
            return new Services(http, credentials, runs, timer, clock, files, fileMaxBytes, knowledge, mcp,
                    conversations, more, refused, python);
        }

        public Services withPlugins(List<RegisteredType> more, BiConsumer<RegisteredType, String> refused) {
            return new Services(http, credentials, runs, timer, clock, files, fileMaxBytes, knowledge, mcp,
                    conversations, more, refused, python);
        }

        /** The python node runs in {@code python}, which its owner closes. */
        public Services withPython(PythonRuntime python) {
            return new Services(http, credentials, runs, timer, clock, files, fileMaxBytes, knowledge, mcp,
                    conversations, more, refused, python);
        }
    }

    /** Every built-in type with only {@code http} set (see {@link Services#of}). */
    public static NodeRegistry registry(HttpNode.Options http) {
        return registry(Services.of(http));
    }

    /** Every built-in type, plus {@code services.more()}; {@code services.runs()} is bound to the registry made. */
    public static NodeRegistry registry(Services services) {
        HttpNode.Options http = services.http();
        Credentials credentials = services.credentials();
        FlowRuns runs = services.runs();
        DelayNode delay = services.timer() == null ? new DelayNode() : new DelayNode(services.timer(), services.clock());
        NodeRegistry registry = new NodeRegistry(List.of(new StartNode(), new EndNode(), new IfNode(),
                new TemplateNode(), new TransformNode(), new HttpNode(http, credentials),
                new LlmNode(http, credentials, services.files(), services.fileMaxBytes()),
                new CodeNode(), new SwitchNode(), new MergeNode(), delay, new SubflowNode(runs), new MapNode(runs),
                new FilesNode(http, services.fileMaxBytes(), services.files()), new KbSearchNode(services.knowledge()),
                new KbIngestNode(services.knowledge(), http, services.fileMaxBytes()), new McpNode(services.mcp()),
                new AgentNode(http, credentials, runs, services.mcp(), services.conversations(),
                        services.knowledge(), services.files(), services.fileMaxBytes()), new ImageNode(services),
                new TranscribeNode(services), new SpeechNode(services), new ModelNode(services),
                new PythonNode(services.python()), new ScadePlaceholderNode(), new PinnedNode()),
                services.more(), services.refused());
        runs.bind(registry);
        return registry;
    }
}
