package dev.weft.builtin;

import static dev.weft.builtin.Calls.json;
import static dev.weft.builtin.Calls.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.testing.ManualClock;
import dev.weft.engine.testing.ManualTimer;
import dev.weft.engine.testing.TestEngine;
import dev.weft.json.Json;
import dev.weft.node.Credentials;
import dev.weft.node.Deltas;
import dev.weft.node.Journal;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.registry.NodeRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent node against local servers speaking OpenAI's and Anthropic's wire protocols with tool calls, a local
 * HTTP endpoint as a tool, published flows (in memory) and a fake MCP server list.
 *
 * <p>Where the wire details come from:
 * <ul>
 * <li>OpenAI chat completions with tools: the API reference (platform.openai.com/docs/api-reference/chat/create and
 * .../chat/object) and the function calling guide (platform.openai.com/docs/guides/function-calling): a request's
 * {@code tools: [{type: "function", function: {name, description, parameters}}]}; an answer's
 * {@code choices[0].message} with {@code content: null} and {@code tool_calls: [{id: "call_...", type: "function",
 * function: {name, arguments: "<JSON text>"}}]}, several in one message when the model calls tools in parallel, and
 * {@code finish_reason: "tool_calls"}; results go back as {@code {role: "tool", tool_call_id, content}} messages
 * after the assistant message that asked for them.</li>
 * <li>Anthropic Messages with tools: docs.anthropic.com/en/docs/build-with-claude/tool-use (and
 * /en/api/messages): a request's {@code tools: [{name, description, input_schema}]}; an answer's content blocks
 * {@code {type: "tool_use", id: "toolu_...", name, input: {...}}}, several in one answer for parallel use, with
 * {@code stop_reason: "tool_use"}; results go back in ONE user message whose content is one
 * {@code {type: "tool_result", tool_use_id, content, is_error?}} block per call.</li>
 * </ul>
 */
class AgentNodeTest {

    private static final String KEY = "sk-test-0123456789abcdef";
    private static final Credentials VAULT = name -> "provider".equals(name)
            ? Optional.of(new Credentials.Credential(KEY, List.of())) : Optional.empty();
    private static final String WEATHER_TOOL = "{'type': 'http', 'name': 'weather', 'description': 'The weather in"
            + " a city', 'url': 'URL/weather/{{city}}', 'parameters': {'type': 'object', 'required': ['city'],"
            + " 'properties': {'city': {'type': 'string'}, 'unit': {'type': 'string', 'enum': ['c', 'f']}}}}";

    private final MockWebServer model = new MockWebServer();
    private final MockWebServer endpoint = new MockWebServer();
    private final TestEngine engine = TestEngine.pooled(4);
    private final FakePublishedFlows published = new FakePublishedFlows();
    private final FlowRuns runs = new FlowRuns(published, engine.nodes(), Runnable::run, engine.timer(), engine.clock());
    private final NodeRegistry registry = BuiltinNodes.registry(BuiltinNodes.Services.of(HttpNode.Options.DEFAULT)
            .withRuns(runs, engine.timer(), engine.clock()));
    private final FakeMcp mcp = new FakeMcp();
    private final FakeConversations conversations = new FakeConversations();
    private final List<String> searches = new CopyOnWriteArrayList<>();
    private final Knowledge knowledge = new Knowledge() {
        @Override
        public List<Passage> search(String kb, Query query) {
            searches.add(kb + ": " + query.text() + " (top " + query.topK() + ", " + query.filters() + ")");
            if (!kb.equals("handbook")) throw new NodeException("kb_not_found", "no knowledge base '" + kb + "'", false);
            return List.of(new Passage("Refunds take 5 days.", 0.03, "refunds.md", 7, null, "Refunds", 0, 20,
                    Map.of("lang", "en")));
        }

        @Override
        public Ingested ingest(String kb, Document document, java.time.Duration wait) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Document file(String fileId, long maxBytes) {
            throw new UnsupportedOperationException();
        }
    };
    private final AgentNode node = new AgentNode(new HttpNode.Options(true, 64 * 1024, 0), VAULT, runs, mcp,
            conversations, knowledge, null, Async.sharedTimer(), Clock.systemUTC());
    private final List<String> deltas = new CopyOnWriteArrayList<>();

    {
        published.use(engine.engine(), registry);
    }

    @BeforeEach
    void start() throws Exception {
        model.start(InetAddress.getByName("127.0.0.1"), 0);
        endpoint.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                return switch (path) {
                    case "/weather/Paris" -> weather("mild");
                    case "/weather/Oslo" -> weather("cold");
                    case "/weather/Rome" -> weather("warm");
                    default -> jsonAnswer(503, "{\"error\": \"maintenance\"}");
                };
            }
        });
        endpoint.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        model.close();
        endpoint.close();
        engine.close();
    }

    // ---- the fakes' answers, as the providers write them ----

    private static MockResponse jsonAnswer(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    /** An OpenAI chat completion asking for tools: {@code calls} are (id, name, arguments JSON text) triples. */
    private static MockResponse openaiTools(String... calls) {
        ObjectNode body = json("{'id': 'chatcmpl-1', 'object': 'chat.completion', 'created': 1764000000,"
                + " 'model': 'gpt-4o-mini-2024-07-18', 'choices': [{'index': 0, 'message': {'role': 'assistant',"
                + " 'content': null, 'refusal': null}, 'logprobs': null, 'finish_reason': 'tool_calls'}],"
                + " 'usage': {'prompt_tokens': 50, 'completion_tokens': 20, 'total_tokens': 70}}");
        ArrayNode wire = ((ObjectNode) body.get("choices").get(0).get("message")).putArray("tool_calls");
        for (int i = 0; i < calls.length; i += 3) {
            wire.addObject().put("id", calls[i]).put("type", "function").putObject("function")
                    .put("name", calls[i + 1]).put("arguments", calls[i + 2]);
        }
        return jsonAnswer(200, Json.write(body));
    }

    private static MockResponse openaiText(String content) {
        ObjectNode body = json("{'id': 'chatcmpl-2', 'object': 'chat.completion', 'created': 1764000001,"
                + " 'model': 'gpt-4o-mini-2024-07-18', 'choices': [{'index': 0, 'message': {'role': 'assistant',"
                + " 'content': ''}, 'logprobs': null, 'finish_reason': 'stop'}],"
                + " 'usage': {'prompt_tokens': 80, 'completion_tokens': 10, 'total_tokens': 90}}");
        ((ObjectNode) body.get("choices").get(0).get("message")).put("content", content);
        return jsonAnswer(200, Json.write(body));
    }

    /** An Anthropic message using tools: {@code uses} are (id, name, input JSON) triples. */
    private static MockResponse anthropicTools(String text, String... uses) {
        ObjectNode body = json("{'id': 'msg_01', 'type': 'message', 'role': 'assistant', 'model':"
                + " 'claude-sonnet-4-5-20250929', 'content': [], 'stop_reason': 'tool_use', 'stop_sequence': null,"
                + " 'usage': {'input_tokens': 40, 'output_tokens': 30}}");
        ArrayNode content = (ArrayNode) body.get("content");
        if (!text.isEmpty()) content.addObject().put("type", "text").put("text", text);
        for (int i = 0; i < uses.length; i += 3) {
            content.addObject().put("type", "tool_use").put("id", uses[i]).put("name", uses[i + 1])
                    .set("input", Json.read(uses[i + 2]));
        }
        return jsonAnswer(200, Json.write(body));
    }

    private static MockResponse anthropicText(String text) {
        ObjectNode body = json("{'id': 'msg_02', 'type': 'message', 'role': 'assistant', 'model':"
                + " 'claude-sonnet-4-5-20250929', 'content': [{'type': 'text', 'text': ''}], 'stop_reason': 'end_turn',"
                + " 'stop_sequence': null, 'usage': {'input_tokens': 60, 'output_tokens': 9}}");
        ((ObjectNode) body.get("content").get(0)).put("text", text);
        return jsonAnswer(200, Json.write(body));
    }

    // ---- settings and calls ----

    private String base(MockWebServer server) {
        return "http://127.0.0.1:" + server.getPort();
    }

    private ObjectNode openai(String more) {
        ObjectNode settings = json("{'provider': 'openai', 'credential': 'provider', 'model': 'gpt-4o-mini',"
                + " 'user': 'What should I wear?'" + (more.isEmpty() ? "" : ", " + more.replace("URL", base(endpoint)))
                + "}");
        settings.put("base_url", base(model) + "/v1");
        return settings;
    }

    private ObjectNode anthropic(String more) {
        ObjectNode settings = json("{'provider': 'anthropic', 'credential': 'provider', 'model': 'claude-sonnet-4-5',"
                + " 'user': 'What should I wear?'" + (more.isEmpty() ? "" : ", " + more.replace("URL", base(endpoint)))
                + "}");
        settings.put("base_url", base(model));
        return settings;
    }

    private NodeCall call(ObjectNode settings, Journal journal) {
        Deltas listener = new Deltas() {
            @Override
            public void text(String text) {
                deltas.add("text " + text);
            }

            @Override
            public void toolStarted(String callId, String tool, JsonNode arguments) {
                deltas.add("start " + callId + " " + tool);
            }

            @Override
            public void toolEnded(String callId, String tool, boolean ok, long durationMs) {
                deltas.add("end " + callId + " " + tool + " " + ok);
            }
        };
        return new NodeCall(1, "agent", settings, Json.object(), 1, Duration.ofSeconds(20), journal, listener);
    }

    private NodeOutput run(ObjectNode settings) throws Exception {
        return run(settings, Journal.memory());
    }

    private NodeOutput run(ObjectNode settings, Journal journal) throws Exception {
        return node.runAsync(call(settings, journal)).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private NodeException failure(ObjectNode settings) {
        CompletableFuture<NodeOutput> future = node.runAsync(call(settings, Journal.memory())).toCompletableFuture();
        Throwable error = assertThatThrownBy(() -> future.get(20, TimeUnit.SECONDS)).actual();
        assertThat(error.getCause()).isInstanceOf(NodeException.class);
        return (NodeException) error.getCause();
    }

    private static JsonNode body(RecordedRequest request) {
        return Json.read(request.getBody().utf8());
    }

    private RecordedRequest take(MockWebServer server) throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("a request reached the server").isNotNull();
        return request;
    }

    private static MockResponse weather(String text) {
        return jsonAnswer(200, "{\"forecast\": \"" + text + "\"}");
    }

    // ---- the loop ----

    @Test
    void openai_parallel_tool_calls_run_and_their_results_go_back_with_their_call_ids() throws Exception {
        model.enqueue(openaiTools("call_a", "weather", "{\"city\": \"Paris\"}", "call_b", "weather",
                "{\"city\": \"Oslo\", \"unit\": \"c\"}"));
        model.enqueue(openaiText("Paris: light jacket. Oslo: coat."));

        NodeOutput output = run(openai("'system': 'Be brief.', 'stream': false, 'tools': [" + WEATHER_TOOL + "]"));

        RecordedRequest firstRequest = take(model);
        assertThat(firstRequest.getTarget()).isEqualTo("/v1/chat/completions");
        assertThat(firstRequest.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        JsonNode first = body(firstRequest);
        assertThat(first.get("tools")).isEqualTo(value("[{'type': 'function', 'function': {'name': 'weather',"
                + " 'description': 'The weather in a city', 'parameters': {'type': 'object', 'required': ['city'],"
                + " 'properties': {'city': {'type': 'string'}, 'unit': {'type': 'string', 'enum': ['c', 'f']}}}}}]"));
        assertThat(first.has("stream")).isFalse();
        assertThat(first.get("messages")).isEqualTo(value("[{'role': 'system', 'content': 'Be brief.'},"
                + " {'role': 'user', 'content': 'What should I wear?'}]"));
        List<String> targets = List.of(take(endpoint).getTarget(), take(endpoint).getTarget());
        assertThat(targets).containsExactlyInAnyOrder("/weather/Paris", "/weather/Oslo?unit=c");
        assertThat(output.data().get("text").asText()).isEqualTo("Paris: light jacket. Oslo: coat.");
        assertThat(output.data().get("iterations").asInt()).isEqualTo(2);
        assertThat(output.data().get("usage")).isEqualTo(json("{'input_tokens': 130, 'output_tokens': 30,"
                + " 'total_tokens': 160}"));
        assertThat(output.data().get("finish_reason").asText()).isEqualTo("stop");
        assertThat(output.data().get("tool_errors").asInt()).isZero();
        assertThat(output.data().get("tool_calls")).extracting(c -> c.get("id").asText() + " " + c.get("ok")
                + " " + c.get("result")).containsExactly("call_a true {\"forecast\":\"mild\"}",
                "call_b true {\"forecast\":\"cold\"}");
        assertThat(deltas).contains("start call_a weather", "end call_a weather true", "start call_b weather",
                "end call_b weather true", "text Paris: light jacket. Oslo: coat.");
    }

    @Test
    void the_second_openai_request_carries_the_assistant_tool_calls_and_one_tool_message_per_call() throws Exception {
        model.enqueue(openaiTools("call_a", "weather", "{\"city\": \"Paris\"}", "call_b", "weather",
                "{\"city\": \"Oslo\"}"));
        model.enqueue(openaiText("Done."));

        run(openai("'tools': [" + WEATHER_TOOL + "], 'tool_choice': 'auto'"));

        assertThat(body(take(model)).get("tool_choice").asText()).isEqualTo("auto");
        JsonNode second = body(take(model));
        assertThat(second.get("messages")).isEqualTo(value("[{'role': 'user', 'content': 'What should I wear?'},"
                + " {'role': 'assistant', 'content': null, 'tool_calls': ["
                + "{'id': 'call_a', 'type': 'function', 'function': {'name': 'weather', 'arguments': '{\\\"city\\\":\\\"Paris\\\"}'}},"
                + "{'id': 'call_b', 'type': 'function', 'function': {'name': 'weather', 'arguments': '{\\\"city\\\":\\\"Oslo\\\"}'}}]},"
                + " {'role': 'tool', 'tool_call_id': 'call_a', 'content': '{\\\"forecast\\\":\\\"mild\\\"}'},"
                + " {'role': 'tool', 'tool_call_id': 'call_b', 'content': '{\\\"forecast\\\":\\\"cold\\\"}'}]"));
    }

    @Test
    void anthropic_parallel_tool_use_results_go_back_in_one_user_message_of_tool_result_blocks() throws Exception {
        model.enqueue(anthropicTools("Let me check.", "toolu_01", "weather", "{\"city\": \"Paris\"}", "toolu_02",
                "weather", "{\"city\": \"Oslo\"}"));
        model.enqueue(anthropicText("Coat for Oslo."));

        NodeOutput output = run(anthropic("'tools': [" + WEATHER_TOOL + "], 'tool_choice': 'required'"));

        RecordedRequest firstRequest = take(model);
        assertThat(firstRequest.getTarget()).isEqualTo("/v1/messages");
        assertThat(firstRequest.getHeaders().get("x-api-key")).isEqualTo(KEY);
        JsonNode first = body(firstRequest);
        assertThat(first.get("tools")).isEqualTo(value("[{'name': 'weather', 'description': 'The weather in a city',"
                + " 'input_schema': {'type': 'object', 'required': ['city'], 'properties': {'city': {'type': 'string'},"
                + " 'unit': {'type': 'string', 'enum': ['c', 'f']}}}}]"));
        assertThat(first.get("tool_choice")).isEqualTo(json("{'type': 'any'}"));
        JsonNode second = body(take(model));
        JsonNode messages = second.get("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(1)).isEqualTo(json("{'role': 'assistant', 'content': [{'type': 'text', 'text':"
                + " 'Let me check.'}, {'type': 'tool_use', 'id': 'toolu_01', 'name': 'weather', 'input': {'city': 'Paris'}},"
                + " {'type': 'tool_use', 'id': 'toolu_02', 'name': 'weather', 'input': {'city': 'Oslo'}}]}"));
        assertThat(messages.get(2).get("role").asText()).isEqualTo("user");
        assertThat(messages.get(2).get("content")).extracting(b -> b.get("type").asText() + " "
                + b.get("tool_use_id").asText()).containsExactly("tool_result toolu_01", "tool_result toolu_02");
        assertThat(output.data().get("text").asText()).isEqualTo("Coat for Oslo.");
        assertThat(output.data().get("finish_reason").asText()).isEqualTo("end_turn");
        assertThat(output.data().get("usage").get("total_tokens").asInt()).isEqualTo(139);
        // the neutral form of the conversation, whatever the provider
        assertThat(output.data().get("messages").get(1)).isEqualTo(json("{'role': 'assistant', 'content':"
                + " 'Let me check.', 'tool_calls': [{'id': 'toolu_01', 'name': 'weather', 'arguments': {'city': 'Paris'}},"
                + " {'id': 'toolu_02', 'name': 'weather', 'arguments': {'city': 'Oslo'}}]}"));
        assertThat(output.data().get("messages").get(2)).isEqualTo(json("{'role': 'tool', 'tool_call_id': 'toolu_01',"
                + " 'name': 'weather', 'content': '{\\\"forecast\\\":\\\"mild\\\"}'}"));
    }

    private static MockResponse events(String stream) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream; charset=utf-8")
                .body(stream).build();
    }

    @Test
    void streamed_openai_tool_call_deltas_become_parallel_calls_and_the_answer_text_streams_to_the_deltas()
            throws Exception {
        // Tool calls stream as delta.tool_calls[] pieces keyed by "index" (OpenAI's chat streaming reference,
        // "choices.delta.tool_calls"); the stream ends with a usage chunk and "data: [DONE]" (stream_options).
        model.enqueue(events(LlmStreamTest.openAiChunk("[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                + "\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_p\",\"type\":\"function\","
                + "\"function\":{\"name\":\"weather\",\"arguments\":\"\"}}]},\"logprobs\":null,\"finish_reason\":null}]", "null")
                + LlmStreamTest.openAiChunk("[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_o\","
                + "\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"{\\\"city\\\": \"}}]},"
                + "\"logprobs\":null,\"finish_reason\":null}]", "null")
                + LlmStreamTest.openAiChunk("[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
                + "{\"arguments\":\"{\\\"city\\\": \\\"Paris\\\"}\"}}]},\"logprobs\":null,\"finish_reason\":null}]", "null")
                + LlmStreamTest.openAiChunk("[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":"
                + "{\"arguments\":\"\\\"Oslo\\\"}\"}}]},\"logprobs\":null,\"finish_reason\":null}]", "null")
                + LlmStreamTest.openAiChunk("[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}]", "null")
                + LlmStreamTest.openAiChunk("[]", "{\"prompt_tokens\":50,\"completion_tokens\":20,\"total_tokens\":70}")
                + "data: [DONE]\n\n"));
        model.enqueue(events(LlmStreamTest.openAiText("Jacket in Paris, ", "coat in Oslo.")));

        NodeOutput output = run(openai("'tools': [" + WEATHER_TOOL + "]"));

        JsonNode first = body(take(model));
        assertThat(first.get("stream").asBoolean()).isTrue();
        assertThat(first.get("stream_options")).isEqualTo(json("{'include_usage': true}"));
        assertThat(output.data().get("tool_calls")).extracting(c -> c.get("id").asText() + " " + c.get("arguments")
                + " " + c.get("result")).containsExactly("call_p {\"city\":\"Paris\"} {\"forecast\":\"mild\"}",
                "call_o {\"city\":\"Oslo\"} {\"forecast\":\"cold\"}");
        assertThat(output.data().get("text").asText()).isEqualTo("Jacket in Paris, coat in Oslo.");
        assertThat(deltas).containsSubsequence("text Jacket in Paris, ", "text coat in Oslo.");
        assertThat(deltas).contains("start call_p weather", "end call_o weather true");
        assertThat(deltas).filteredOn(d -> d.startsWith("text")).hasSize(2);   // shown once, as it came
        assertThat(body(take(model)).get("messages").get(1).get("tool_calls")).hasSize(2);
    }

    @Test
    void a_stream_cut_after_text_was_shown_fails_saying_so_and_is_not_asked_again() throws Exception {
        String stream = LlmStreamTest.openAiText("Wear a", " coat.");
        byte[] throughHalf = stream.substring(0, stream.indexOf("data:", stream.indexOf("Wear a")))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (FakeModel cutting = new FakeModel()) {
            cutting.enqueue(new FakeModel.Script(200, "text/event-stream",
                    List.of(new FakeModel.Step.Piece(throughHalf), new FakeModel.Step.Cut())));
            ObjectNode settings = openai("");
            settings.put("base_url", cutting.base("/v1"));

            NodeException failure = failure(settings);

            assertThat(failure.type()).isEqualTo(LlmNode.ERROR);
            assertThat(failure.getMessage()).startsWith("openai").contains("stream broke before its end",
                    "after 6 characters of text");
            assertThat(failure.retryable()).isTrue();
            assertThat(deltas).containsExactly("text Wear a");
            assertThat(cutting.requests).hasSize(1);   // asked once: a retry would show the text twice
        }
    }

    @Test
    void a_stream_cut_before_any_text_of_a_later_answer_is_asked_again_though_an_earlier_answer_showed_text()
            throws Exception {
        String toolCall = LlmStreamTest.openAiChunk("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":"
                + "\"Checking.\"},\"logprobs\":null,\"finish_reason\":null}]", "null")
                + LlmStreamTest.openAiChunk("[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_p\","
                + "\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"{\\\"city\\\": "
                + "\\\"Paris\\\"}\"}}]},\"logprobs\":null,\"finish_reason\":null}]", "null")
                + LlmStreamTest.openAiChunk("[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":"
                + "\"tool_calls\"}]", "null")
                + "data: [DONE]\n\n";
        String answer = LlmStreamTest.openAiText("Jacket.");
        byte[] beforeText = answer.substring(0, answer.indexOf("data:", 10))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ManualClock clock = new ManualClock();
        ManualTimer manual = new ManualTimer(clock);
        // the step's own limit is 20 s away; a backoff (the first is 1 s) is what the test waits for, then lets pass
        BlockingQueue<Duration> backoffs = new LinkedBlockingQueue<>();
        dev.weft.engine.Timer timer = (at, action) -> {
            Duration wait = Duration.between(clock.instant(), at);
            Runnable cancel = manual.schedule(at, action);
            if (wait.compareTo(Duration.ofSeconds(5)) < 0) backoffs.add(wait);
            return cancel;
        };
        AgentNode agent = new AgentNode(new HttpNode.Options(true, 64 * 1024, 0), VAULT, runs, mcp, conversations,
                knowledge, null, timer, clock);
        try (FakeModel cutting = new FakeModel()) {
            cutting.enqueue(FakeModel.Script.events(toolCall));
            cutting.enqueue(new FakeModel.Script(200, "text/event-stream", List.of(new FakeModel.Step.Piece(beforeText),
                    new FakeModel.Step.Cut())));
            cutting.enqueue(FakeModel.Script.events(answer));
            ObjectNode settings = openai("'tools': [" + WEATHER_TOOL + "]");
            settings.put("base_url", cutting.base("/v1"));

            CompletableFuture<NodeOutput> run = agent.runAsync(call(settings, Journal.memory())).toCompletableFuture();
            assertThat(backoffs.poll(20, TimeUnit.SECONDS)).as("the cut call is retried after a backoff")
                    .isEqualTo(LlmNode.BACKOFF_FIRST);
            manual.advance(LlmNode.BACKOFF_FIRST);
            NodeOutput output = run.get(20, TimeUnit.SECONDS);

            assertThat(output.data().get("text").asText()).isEqualTo("Jacket.");
            assertThat(cutting.requests).hasSize(3);
            assertThat(backoffs).isEmpty();
            assertThat(deltas).filteredOn(d -> d.startsWith("text")).containsExactly("text Checking.", "text Jacket.");
        }
    }

    @Test
    void streamed_anthropic_tool_use_input_deltas_are_joined_into_the_call_arguments() throws Exception {
        // A tool_use block starts with an empty input; input_json_delta partial_json pieces are joined at
        // content_block_stop (Anthropic's "Streaming Messages", "Input JSON delta").
        model.enqueue(events(LlmStreamTest.anthropicEvent("message_start", "\"message\":{\"id\":\"msg_1\",\"type\":"
                + "\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":40,\"output_tokens\":1},\"content\":[],\"stop_reason\":null}")
                + LlmStreamTest.anthropicEvent("content_block_start", "\"index\":0,\"content_block\":{\"type\":\"tool_use\","
                + "\"id\":\"toolu_9\",\"name\":\"weather\",\"input\":{}}")
                + LlmStreamTest.anthropicEvent("content_block_delta", "\"index\":0,\"delta\":{\"type\":\"input_json_delta\","
                + "\"partial_json\":\"{\\\"city\\\":\"}")
                + LlmStreamTest.anthropicEvent("content_block_delta", "\"index\":0,\"delta\":{\"type\":\"input_json_delta\","
                + "\"partial_json\":\" \\\"Rome\\\"}\"}")
                + LlmStreamTest.anthropicEvent("content_block_stop", "\"index\":0")
                + LlmStreamTest.anthropicEvent("message_delta", "\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
                + "\"usage\":{\"output_tokens\":30}")
                + LlmStreamTest.anthropicEvent("message_stop", "")));
        model.enqueue(events(LlmStreamTest.anthropicText("Warm: ", "a T-shirt.")));

        NodeOutput output = run(anthropic("'tools': [" + WEATHER_TOOL + "]"));

        assertThat(body(take(model)).get("stream").asBoolean()).isTrue();
        JsonNode results = body(take(model)).get("messages").get(2).get("content");
        assertThat(results.get(0).get("tool_use_id").asText()).isEqualTo("toolu_9");
        assertThat(results.get(0).get("content").asText()).isEqualTo("{\"forecast\":\"warm\"}");
        assertThat(output.data().get("text").asText()).isEqualTo("Warm: a T-shirt.");
        assertThat(output.data().get("tool_calls").get(0).get("arguments")).isEqualTo(json("{'city': 'Rome'}"));
        assertThat(deltas).containsSubsequence("start toolu_9 weather", "end toolu_9 weather true", "text Warm: ",
                "text a T-shirt.");
    }

    @Test
    void a_published_flow_is_a_tool_whose_arguments_are_its_start_inputs_and_runs_as_a_child_task() throws Exception {
        published.publish(2, """
                {"name": "greet", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"name": {"type": "string", "required": true,
                     "title": "Name", "description": "Who to greet"}, "times": {"type": "integer", "default": 1}}}},
                  {"id": "hello", "type": "template", "settings": {"template": "Hello {{start.name}}"}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"greeting": {"type": "string"}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "hello", "fields_mapping": [{"from_field": "name", "to_field": "name"}]},
                  {"from_node": "hello", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "greeting"}]}]}
                """);
        model.enqueue(openaiTools("call_1", "greet", "{\"name\": \"Ada\"}"));
        model.enqueue(openaiText("I greeted Ada."));

        NodeOutput output = run(openai("'tools': [{'type': 'flow', 'flow_id': 2, 'name': 'greet'}]"));

        JsonNode offered = body(take(model)).get("tools").get(0).get("function");
        assertThat(offered.get("description").asText()).isEqualTo("Runs the flow 'greet' and answers with its outputs.");
        assertThat(offered.get("parameters")).isEqualTo(json("{'type': 'object', 'properties': {'name': {'type':"
                + " 'string', 'title': 'Name', 'description': 'Who to greet'}, 'times': {'type': 'integer', 'default': 1}},"
                + " 'required': ['name'], 'additionalProperties': false}"));
        JsonNode toolMessage = body(take(model)).get("messages").get(2);
        assertThat(toolMessage.get("content").asText()).isEqualTo("{\"greeting\":\"Hello Ada\"}");
        assertThat(published.children).hasSize(1);
        FakePublishedFlows.Child child = published.children.get(0);
        assertThat(List.of(child.parentTaskId(), child.flowId(), (long) child.depth())).containsExactly(1L, 2L, 1L);
        assertThat(child.startData()).isEqualTo(json("{'name': 'Ada'}"));
        assertThat(output.data().get("tool_calls").get(0).get("task_id").asLong()).isEqualTo(child.taskId());
        assertThat(output.data().get("tool_calls").get(0).get("result")).isEqualTo(json("{'greeting': 'Hello Ada'}"));
    }

    @Test
    void mcp_tools_of_a_server_are_offered_a_chosen_subset_only_and_called_with_the_arguments() throws Exception {
        model.enqueue(openaiTools("call_1", "add", "{\"a\": 2, \"b\": 3}"));
        model.enqueue(openaiText("5"));

        NodeOutput output = run(openai("'tools': [{'type': 'mcp', 'server': 'calc', 'tools': ['add']}]"));

        assertThat(body(take(model)).get("tools")).extracting(t -> t.get("function").get("name").asText())
                .containsExactly("add");
        assertThat(mcp.calls).containsExactly("calc add {\"a\":2,\"b\":3}");
        assertThat(body(take(model)).get("messages").get(2).get("content").asText()).isEqualTo("{\"sum\":5}");
        assertThat(output.data().get("tool_calls").get(0).get("result")).isEqualTo(json("{'sum': 5}"));
    }

    @Test
    void a_knowledge_base_is_a_search_tool_whose_passages_and_sources_go_back_to_the_model() throws Exception {
        model.enqueue(openaiTools("call_1", "search_handbook", "{\"query\": \"refund time\"}",
                "call_2", "search_wiki", "{\"query\": \"refund time\"}"));
        model.enqueue(openaiText("Refunds take 5 days (refunds.md)."));

        NodeOutput output = run(openai("'tools': [{'type': 'knowledge_base', 'knowledge_base': 'handbook', 'top_k': 3,"
                + " 'filters': {'lang': 'en'}}, {'type': 'knowledge_base', 'knowledge_base': 'wiki'}]"));

        JsonNode offered = body(take(model)).get("tools");
        assertThat(offered).extracting(t -> t.get("function").get("name").asText())
                .containsExactly("search_handbook", "search_wiki");
        assertThat(offered.get(0).get("function").get("parameters").get("required")).isEqualTo(Json.read("[\"query\"]"));
        assertThat(searches).containsExactlyInAnyOrder("handbook: refund time (top 3, {lang=[en]})",
                "wiki: refund time (top 5, {})");
        JsonNode messages = body(take(model)).get("messages");
        JsonNode passages = Json.read(messages.get(2).get("content").asText());
        assertThat(passages.get(0).get("text").asText()).isEqualTo("Refunds take 5 days.");
        assertThat(passages.get(0).get("source").get("document").asText()).isEqualTo("refunds.md");
        assertThat(messages.get(3).get("content").asText()).isEqualTo("error: kb_not_found: no knowledge base 'wiki'");
        assertThat(output.data().get("tool_errors").asInt()).isEqualTo(1);
        assertThat(output.data().get("text").asText()).isEqualTo("Refunds take 5 days (refunds.md).");
    }

    @Test
    void a_knowledge_base_tool_without_its_knowledge_base_is_refused_at_save() {
        assertThat(problems(node, "{'model': 'm', 'user': 'u', 'tools': [{'type': 'knowledge_base'}]}"))
                .contains("tools[0].knowledge_base: is required for a knowledge_base tool (a knowledge base's name or id)");
    }

    @Test
    void an_mcp_server_that_gives_no_tool_list_fails_the_step_naming_the_server() {
        NodeException e = failure(openai("'tools': [{'type': 'mcp', 'server': 'down'}]"));

        assertThat(e.type()).isEqualTo(McpTools.ERROR);
        assertThat(e.getMessage()).contains("settings.tools[0]: MCP server 'down' gave no tool list");
        assertThat(model.getRequestCount()).isZero();
    }

    @Test
    void a_flow_tool_that_is_not_published_fails_the_step_naming_the_tool() {
        NodeException e = failure(openai("'tools': [{'type': 'flow', 'flow_id': 77}]"));

        assertThat(e.type()).isEqualTo(FlowRuns.NOT_FOUND);
        assertThat(e.getMessage()).startsWith("settings.tools[0] (flow tool 'flow_77'): ");
    }

    @Test
    void an_unknown_tool_and_arguments_that_break_the_schema_are_answered_to_the_model_and_counted() throws Exception {
        model.enqueue(openaiTools("call_1", "teleport", "{}", "call_2", "weather", "{\"unit\": \"k\"}",
                "call_3", "weather", "not json"));
        model.enqueue(openaiText("Sorry."));

        NodeOutput output = run(openai("'tools': [" + WEATHER_TOOL + "]"));

        take(model);
        JsonNode messages = body(take(model)).get("messages");
        assertThat(messages.get(2).get("content").asText()).isEqualTo("error: tool_unknown: there is no tool named"
                + " 'teleport'; the tools are: weather");
        assertThat(messages.get(3).get("content").asText()).startsWith("error: tool_arguments: the arguments of"
                + " 'weather' do not match its schema: ").contains("unit: must be one of").contains("city: is required");
        assertThat(messages.get(4).get("content").asText()).isEqualTo("error: tool_arguments: the arguments of"
                + " 'weather' must be a JSON object (got text that is not JSON: not json)");
        assertThat(output.data().get("tool_errors").asInt()).isEqualTo(3);
        assertThat(endpoint.getRequestCount()).isZero();
    }

    @Test
    void a_tool_that_fails_gives_the_model_its_error_and_the_model_recovers() throws Exception {
        model.enqueue(anthropicTools("", "toolu_1", "weather", "{\"city\": \"Atlantis\"}"));
        model.enqueue(anthropicText("The weather service is down; bring an umbrella."));

        NodeOutput output = run(anthropic("'tools': [" + WEATHER_TOOL + "]"));

        take(model);
        JsonNode result = body(take(model)).get("messages").get(2).get("content").get(0);
        assertThat(result.get("is_error").asBoolean()).isTrue();
        assertThat(result.get("content").asText()).startsWith("error: http_status: GET http://127.0.0.1:")
                .endsWith("/weather/Atlantis answered 503: {\"error\": \"maintenance\"}");
        assertThat(output.data().get("tool_errors").asInt()).isEqualTo(1);
        assertThat(output.data().get("tool_calls").get(0).get("ok").asBoolean()).isFalse();
        assertThat(deltas).contains("end toolu_1 weather false");
    }

    @Test
    void a_model_that_keeps_calling_tools_fails_with_agent_max_iterations_naming_the_count() {
        for (int i = 0; i < 3; i++) model.enqueue(openaiTools("call_" + i, "weather", "{\"city\": \"Rome\"}"));

        NodeException e = failure(openai("'tools': [" + WEATHER_TOOL + "], 'max_iterations': 2"));

        assertThat(e.type()).isEqualTo("agent_max_iterations");
        assertThat(e.getMessage()).isEqualTo("the model still asked for tools (weather) after 2 model calls, the"
                + " step's max_iterations");
        assertThat(e.retryable()).isFalse();
        assertThat(model.getRequestCount()).isEqualTo(2);
        assertThat(endpoint.getRequestCount()).isEqualTo(1);
    }

    @Test
    void a_json_schema_final_answer_is_parsed_and_checked() throws Exception {
        model.enqueue(openaiText("{\"outfit\": \"coat\"}"));
        NodeOutput output = run(openai("'json_schema': {'type': 'object', 'required': ['outfit'],"
                + " 'properties': {'outfit': {'type': 'string'}}}"));
        assertThat(output.data().get("json")).isEqualTo(json("{'outfit': 'coat'}"));
        assertThat(body(take(model)).get("response_format").get("type").asText()).isEqualTo("json_schema");

        model.enqueue(openaiText("{\"shoes\": 2}"));
        NodeException e = failure(openai("'json_schema': {'type': 'object', 'required': ['outfit']}"));
        assertThat(e.type()).isEqualTo(LlmNode.OUTPUT_INVALID);
        assertThat(e.getMessage()).isEqualTo("the model's answer does not match json_schema: outfit: is required");
    }

    @Test
    void a_429_is_retried_as_retry_after_asks_and_a_400_fails_with_the_providers_message() throws Exception {
        model.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "0")
                .addHeader("Content-Type", "application/json")
                .body("{\"error\": {\"message\": \"Rate limit reached\", \"type\": \"requests\"}}").build());
        model.enqueue(openaiText("ok"));
        assertThat(run(openai("")).data().get("text").asText()).isEqualTo("ok");
        assertThat(model.getRequestCount()).isEqualTo(2);

        model.enqueue(jsonAnswer(400, "{\"error\": {\"message\": \"Invalid schema for function 'weather'\","
                + " \"type\": \"invalid_request_error\"}}"));
        NodeException e = failure(openai(""));
        assertThat(e.type()).isEqualTo(LlmNode.STATUS);
        assertThat(e.getMessage()).endsWith("answered 400: invalid_request_error: Invalid schema for function 'weather'");
    }

    // ---- durability ----

    @Test
    void a_step_run_again_with_its_journal_sends_no_finished_model_call_and_runs_no_finished_tool_call_again()
            throws Exception {
        model.enqueue(openaiTools("call_a", "weather", "{\"city\": \"Paris\"}", "call_b", "weather",
                "{\"city\": \"Oslo\"}"));
        model.enqueue(openaiText("Coat."));
        Journal first = Journal.memory();
        NodeOutput once = run(openai("'tools': [" + WEATHER_TOOL + "]"), first);
        assertThat(first.recorded().keySet()).containsExactlyInAnyOrder("model:1", "tool:1:0", "tool:1:1", "model:2");
        assertThat(List.of(model.getRequestCount(), endpoint.getRequestCount())).containsExactly(2, 2);

        // everything recorded: nothing is sent or run again, and the output is the same
        NodeOutput replayed = run(openai("'tools': [" + WEATHER_TOOL + "]"), Journal.memory(first.recorded()));
        assertThat(List.of(model.getRequestCount(), endpoint.getRequestCount())).containsExactly(2, 2);
        assertThat((JsonNode) replayed.data()).isEqualTo(once.data());

        // cut short after the first model answer and one tool result: only the rest is done
        Map<String, JsonNode> cut = new LinkedHashMap<>(first.recorded());
        cut.remove("tool:1:1");
        cut.remove("model:2");
        model.enqueue(openaiText("Coat, again."));
        NodeOutput resumed = run(openai("'tools': [" + WEATHER_TOOL + "]"), Journal.memory(cut));
        assertThat(List.of(model.getRequestCount(), endpoint.getRequestCount())).containsExactly(3, 3);
        for (int i = 0; i < 2; i++) take(endpoint);
        assertThat(take(endpoint).getTarget()).isEqualTo("/weather/Oslo");   // only call_b ran again
        for (int i = 0; i < 2; i++) take(model);
        assertThat(body(take(model)).get("messages")).hasSize(4);           // the resumed turn's prompt is whole
        assertThat(resumed.data().get("text").asText()).isEqualTo("Coat, again.");
    }

    @Test
    void a_resumed_flow_tool_waits_for_the_child_it_started_instead_of_starting_another() throws Exception {
        published.publish(2, """
                {"name": "echo", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"word": {"type": "string"}}}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"word": {"type": "string"}}}}],
                 "edges": [{"from_node": "start", "to_node": "end", "fields_mapping": [{"from_field": "word", "to_field": "word"}]}]}
                """);
        model.enqueue(openaiTools("call_1", "flow_2", "{\"word\": \"hi\"}"));
        model.enqueue(openaiText("Echoed."));
        Journal first = Journal.memory();
        run(openai("'tools': [{'type': 'flow', 'flow_id': 2}]"), first);
        assertThat(first.recorded().get("child:1:0").get("task_id").asLong()).isEqualTo(100);

        Map<String, JsonNode> cut = new LinkedHashMap<>(first.recorded());
        cut.remove("tool:1:0");
        cut.remove("model:2");
        model.enqueue(openaiText("Echoed again."));
        NodeOutput resumed = run(openai("'tools': [{'type': 'flow', 'flow_id': 2}]"), Journal.memory(cut));

        assertThat(published.children).hasSize(1);
        assertThat(resumed.data().get("tool_calls").get(0).get("task_id").asLong()).isEqualTo(100);
        assertThat(resumed.data().get("tool_calls").get(0).get("result")).isEqualTo(json("{'word': 'hi'}"));
    }

    @Test
    void a_flow_tool_resumed_without_its_child_recorded_asks_for_the_child_by_the_calls_key_and_gets_the_same_one()
            throws Exception {
        published.publish(2, """
                {"name": "echo", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"word": {"type": "string"}}}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"word": {"type": "string"}}}}],
                 "edges": [{"from_node": "start", "to_node": "end", "fields_mapping": [{"from_field": "word", "to_field": "word"}]}]}
                """);
        model.enqueue(openaiTools("call_1", "flow_2", "{\"word\": \"hi\"}"));
        model.enqueue(openaiText("Echoed."));
        Journal first = Journal.memory();
        run(openai("'tools': [{'type': 'flow', 'flow_id': 2}]"), first);

        // the process died after the child's commit, before its id was recorded: only the model's call is known
        Map<String, JsonNode> cut = new LinkedHashMap<>();
        cut.put("model:1", first.recorded().get("model:1"));
        model.enqueue(openaiText("Echoed again."));
        NodeOutput resumed = run(openai("'tools': [{'type': 'flow', 'flow_id': 2}]"), Journal.memory(cut));

        assertThat(published.children).as("no second child").hasSize(1);
        assertThat(resumed.data().get("tool_calls").get(0).get("task_id").asLong()).isEqualTo(100);
        assertThat(resumed.data().get("tool_calls").get(0).get("result")).isEqualTo(json("{'word': 'hi'}"));
    }

    @Test
    void cancelling_the_step_cancels_the_child_task_a_flow_tool_is_waiting_for() throws Exception {
        published.publish(3, """
                {"name": "slow", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"x": {"type": "string"}}}},
                  {"id": "wait", "type": "delay", "timeout_ms": 3600000, "settings": {"duration_ms": 3000000}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"x": {"type": "string"}}}}],
                 "edges": [{"from_node": "start", "to_node": "wait", "fields_mapping": [{"from_field": "x", "to_field": "x"}]},
                   {"from_node": "wait", "to_node": "end", "fields_mapping": [{"from_field": "x", "to_field": "x"}]}]}
                """);
        model.enqueue(openaiTools("call_1", "slow", "{\"x\": \"a\"}"));
        CompletableFuture<NodeOutput> step = node.runAsync(call(openai("'tools': [{'type': 'flow', 'flow_id': 3,"
                + " 'name': 'slow'}]"), Journal.memory())).toCompletableFuture();
        Long child = published.startedSignals.poll(5, TimeUnit.SECONDS);   // the delay never ends: its timer is manual
        assertThat(child).as("the child task started").isNotNull();

        step.cancel(true);

        assertThat(published.cancelledSignals.poll(5, TimeUnit.SECONDS)).isEqualTo(child);
        assertThat(published.cancelled).containsExactly(child);
        assertThat(model.getRequestCount()).isEqualTo(1);
    }

    @Test
    void a_model_that_does_not_answer_within_timeout_ms_fails_the_step_with_timeout() {
        model.enqueue(new MockResponse.Builder().code(200).headersDelay(5, TimeUnit.SECONDS)
                .addHeader("Content-Type", "application/json").body("{}").build());

        NodeException e = failure(openai("'timeout_ms': 300"));

        assertThat(e.type()).isEqualTo("timeout");
        assertThat(e.getMessage()).startsWith("the agent gave no answer within 300 ms");
    }

    // ---- memory ----

    @Test
    void a_session_loads_its_history_records_it_in_the_journal_and_appends_the_new_turn() throws Exception {
        conversations.sessions.put("s1", new ArrayList<>(List.of(
                json("{'role': 'tool', 'tool_call_id': 'x', 'name': 'weather', 'content': 'orphan'}"),
                json("{'role': 'user', 'content': 'I am in Oslo.'}"),
                json("{'role': 'assistant', 'content': 'Noted.'}"))));
        model.enqueue(openaiText("A coat."));
        Journal journal = Journal.memory();

        NodeOutput output = run(openai("'session_id': 's1'"), journal);

        assertThat(body(take(model)).get("messages")).isEqualTo(value("[{'role': 'user', 'content': 'I am in Oslo.'},"
                + " {'role': 'assistant', 'content': 'Noted.'}, {'role': 'user', 'content': 'What should I wear?'}]"));
        assertThat(journal.recorded().get("memory").get("messages")).hasSize(2);
        assertThat(conversations.appends).containsExactly("1 agent s1 [{\"role\":\"user\",\"content\":\"What"
                + " should I wear?\"}, {\"role\":\"assistant\",\"content\":\"A coat.\"}] 50/0");
        assertThat(output.data().get("messages")).hasSize(4);

        // replayed: the recorded history is used even though the session has changed since
        conversations.sessions.get("s1").clear();
        run(openai("'session_id': 's1'"), Journal.memory(journal.recorded()));
        assertThat(model.getRequestCount()).isEqualTo(1);
    }

    @Test
    void memory_caps_keep_the_newest_messages() throws Exception {
        List<ObjectNode> long_ = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long_.add(json("{'role': 'user', 'content': 'question " + i + "'}"));
            long_.add(json("{'role': 'assistant', 'content': 'answer " + i + "'}"));
        }
        conversations.sessions.put("s2", long_);
        model.enqueue(openaiText("ok"));

        run(openai("'session_id': 's2', 'memory_max_messages': 5"));

        JsonNode messages = body(take(model)).get("messages");
        assertThat(messages).extracting(m -> m.get("content").asText()).containsExactly("question 8", "answer 8",
                "question 9", "answer 9", "What should I wear?");
    }

    // ---- settings ----

    @Test
    void wrong_settings_are_refused_at_save_naming_the_field() {
        assertThat(problems(node, "{'model': 'm', 'user': 'u', 'tools': [{'type': 'flow'}, {'type': 'http',"
                + " 'name': 'x', 'url': 'ftp://host/{{a}}', 'parameters': {'type': 'object', 'properties': {}}},"
                + " {'type': 'mcp'}, {'type': 'shell'}, {'type': 'http', 'name': 'x', 'url': 'https://h/'}],"
                + " 'tool_choice': 'any tool', 'max_iterations': 0}"))
                .contains("tools[0].flow_id: is required for a flow tool",
                        "tools[2].server: is required for an mcp tool",
                        "tools[4].name: names another tool already ('x')",
                        "tool_choice: must be auto, none, required or a tool's name (got 'any tool')",
                        "max_iterations: must be at least 1 (got 0)")
                .anyMatch(p -> p.startsWith("tools[1].url: "))
                .anyMatch(p -> p.startsWith("tools[1].parameters: declares no property 'a'"))
                .anyMatch(p -> p.startsWith("tools[3].type: must be one of"));
        assertThat(problems(node, "{'model': 'm', 'user': '{{start.q}}', 'session_id': '{{start.s}}',"
                + " 'tools': [" + WEATHER_TOOL.replace("URL", "https://api.example.com") + "]}")).isEmpty();
    }

    // ---- fakes ----

    /** Any JSON value written with single quotes. */
    private static JsonNode value(String singleQuoted) {
        return Json.read(singleQuoted.replace('\'', '"'));
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    /** One MCP server, calc, with two tools; any other server is down. */
    private static final class FakeMcp implements McpTools {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<List<Tool>> tools(String server) {
            if (!server.equals("calc")) {
                return CompletableFuture.failedFuture(new NodeException(ERROR, "connection refused"));
            }
            return CompletableFuture.completedFuture(List.of(
                    new Tool("add", "Adds two numbers", json("{'type': 'object', 'required': ['a', 'b'],"
                            + " 'properties': {'a': {'type': 'number'}, 'b': {'type': 'number'}}}")),
                    new Tool("sub", "Subtracts", json("{'type': 'object'}"))));
        }

        @Override
        public CompletionStage<Result> call(String server, String tool, ObjectNode arguments, Duration timeout) {
            calls.add(server + " " + tool + " " + Json.write(arguments));
            int sum = arguments.get("a").asInt() + arguments.get("b").asInt();
            return CompletableFuture.completedFuture(new Result(value("[{'type': 'text', 'text': '" + sum + "'}]"),
                    json("{'sum': " + sum + "}"), false));
        }
    }

    /** Sessions in memory; every append is kept as "task node session messages cap". */
    private static final class FakeConversations implements Conversations {
        final Map<String, List<ObjectNode>> sessions = new java.util.concurrent.ConcurrentHashMap<>();
        final List<String> appends = new CopyOnWriteArrayList<>();

        @Override
        public List<ObjectNode> load(long taskId, String sessionId) {
            return List.copyOf(sessions.getOrDefault(sessionId, List.of()));
        }

        @Override
        public void append(long taskId, String nodeId, String sessionId, List<ObjectNode> messages, Cap cap) {
            appends.add(taskId + " " + nodeId + " " + sessionId + " " + messages.stream().map(Json::write).toList()
                    + " " + cap.maxMessages() + "/" + cap.maxTokens());
        }
    }
}
