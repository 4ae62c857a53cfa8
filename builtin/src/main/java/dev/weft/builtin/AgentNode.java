package dev.weft.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.Timer;
import dev.weft.node.Credentials;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Problems;
import dev.weft.node.Run;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code agent} node: a chat model that calls tools in a loop until it answers. Each turn sends the
 * conversation and the tools' schemas (OpenAI-compatible function calling, or Anthropic's {@code tool_use}); the
 * tools the model asks for in one turn run at once (published flows as child tasks, HTTP endpoints through the
 * http node's guarded fetch, MCP servers' tools through {@link McpTools}), and their results go back to the model,
 * until it answers without asking for a tool, or {@code max_iterations} model calls have been made (the step then
 * fails with {@value #MAX_ITERATIONS}). A tool that fails, a tool name the model made up and arguments that break
 * the tool's schema are answered to the model as the tool's result (prefixed {@code error: }), and counted in
 * {@code tool_errors}.
 *
 * <p><b>Durability.</b> Through the step's {@link dev.weft.node.Journal}, the node records each model answer as it
 * arrives ({@code model:<n>}, n from 1), each tool result ({@code tool:<n>:<i>}, the i-th call of turn n), the child
 * task a flow tool started ({@code child:<n>:<i>}, so a resumed step waits for that child instead of starting
 * another) and the session's history it loaded ({@code memory}). A step run again with those entries replays
 * them in order: no finished model call is sent again, no finished tool call runs again.
 *
 * <p><b>Messages.</b> The output's {@code messages} (and a session's memory, {@link Conversations}) use one neutral
 * form whatever the provider: objects with {@code role} {@code user}, {@code assistant} or {@code tool};
 * {@code content} (text; may be empty for an assistant turn that only calls tools); on an assistant message
 * {@code tool_calls}: {@code [{"id", "name", "arguments"}]} with the arguments as the JSON value the model wrote (a
 * string when it was not JSON); on a tool message {@code tool_call_id}, {@code name}, and {@code is_error: true}
 * when the call failed.
 *
 * <p>Output: {@code text}, {@code json} (when asked, checked as in {@code llm}), {@code messages},
 * {@code tool_calls} ({@code [{id, name, arguments, ok, result | error, duration_ms, task_id?}]}),
 * {@code tool_errors}, {@code usage} (tokens summed over the model calls), {@code iterations} (model calls),
 * {@code finish_reason} and {@code model} of the last answer.
 *
 * <p>It is asynchronous: no thread is held while the model or a tool is awaited; a cancelled or timed-out step
 * stops its HTTP exchanges and cancels its child tasks. 429 and 5xx answers of the model are retried as in
 * {@code llm}, waiting on a timer as {@code Retry-After} asks.
 */
public final class AgentNode implements NodeType {

    public static final String TYPE = "agent";
    /** The model still asked for tools after {@code max_iterations} model calls. */
    public static final String MAX_ITERATIONS = "agent_max_iterations";

    private final AgentTools.Parts parts;
    private final Conversations conversations;
    private final ModelTransport transport;
    private final Timer timer;
    private final Clock clock;
    private final Images images;

    /**
     * An agent whose flow tools start child tasks through {@code runs}, whose HTTP tools and model calls follow the
     * http node's network rules, with MCP servers {@code mcp}, session memory {@code conversations} and the
     * knowledge bases its knowledge_base tools search; {@code images} may name files of {@code files}, each sent
     * inline up to {@code fileMaxBytes}.
     */
    public AgentNode(HttpNode.Options options, Credentials credentials, FlowRuns runs, McpTools mcp,
                     Conversations conversations, Knowledge knowledge, FileSink files, long fileMaxBytes) {
        this(options, credentials, runs, mcp, conversations, knowledge, null, Async.sharedTimer(), Clock.systemUTC(),
                new Images(files, Math.min(fileMaxBytes, Images.MAX_BYTES_DEFAULT)));
    }

    /** As the public constructor; {@code transport} null sends model calls over HTTP. */
    AgentNode(HttpNode.Options options, Credentials credentials, FlowRuns runs, McpTools mcp,
              Conversations conversations, Knowledge knowledge, ModelTransport transport, Timer timer, Clock clock) {
        this(options, credentials, runs, mcp, conversations, knowledge, transport, timer, clock, Images.NONE);
    }

    /** As above, with the images' file store. */
    AgentNode(HttpNode.Options options, Credentials credentials, FlowRuns runs, McpTools mcp,
              Conversations conversations, Knowledge knowledge, ModelTransport transport, Timer timer, Clock clock,
              Images images) {
        AddressGuard guard = options.allowPrivate() ? AddressGuard.allowingPrivate() : AddressGuard.publicOnly();
        HttpClient client = Fetch.client(HttpNode.CONNECT_TIMEOUT);
        this.parts = new AgentTools.Parts(runs, options, guard, client, credentials, mcp, knowledge);
        this.conversations = conversations;
        this.transport = transport != null ? transport : ModelTransport.http(client, guard, options.maxResponseBytes());
        this.timer = timer;
        this.clock = clock;
        this.images = images;
    }

    @Override
    public String id() {
        return TYPE;
    }

    @Override
    public Run run() {
        return Run.async(this::runAsync);
    }

    @Override
    public void check(ObjectNode settings, Problems problems) {
        AgentSettings.check(settings, problems, true);
    }

    /** Starts one attempt; the stage completes with the answer, or fails with the step's error. */
    public CompletionStage<NodeOutput> runAsync(NodeCall call) {
        AgentSettings settings;
        String secret;
        try {
            settings = AgentSettings.read(call.settings(), call.timeout());
            secret = settings.credential() == null ? null : StoredSecrets.secretFor(parts.credentials().forTask(call.taskId()),
                    settings.credential(), settings.provider().endpoint(settings.baseUrl()), "credential");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return new AgentRun(call, settings, secret, parts.forTask(call.taskId()), conversations, transport, timer, clock, images).start();
    }

    /** Runs one attempt on this thread, for callers without the engine. */
    public NodeOutput run(NodeCall call) throws Exception {
        return Async.await(runAsync(call));
    }
}
