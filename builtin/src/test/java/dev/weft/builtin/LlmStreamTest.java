package dev.weft.builtin;

import static dev.weft.builtin.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.json.Json;
import dev.weft.node.Deltas;
import dev.weft.node.NodeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stream reader against a fake provider that sends the streams byte for byte as OpenAI and Anthropic do, in
 * chunked pieces split mid-line and mid-character.
 *
 * <p>Where the formats come from: OpenAI's API reference, "Chat Completions / The chat completion chunk object"
 * and "Streaming" (https://platform.openai.com/docs/api-reference/chat-streaming), and its {@code stream_options}
 * parameter; Anthropic's "Streaming Messages" (https://docs.anthropic.com/en/api/messages-streaming).
 */
class LlmStreamTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final CountDownLatch firstText = new CountDownLatch(1);
    private final List<String> deltas = Collections.synchronizedList(new ArrayList<>());
    private final Deltas recorder = new Deltas() {
        @Override
        public void text(String text) {
            deltas.add(text);
            firstText.countDown();
        }
    };
    private final FakeModel fake;

    LlmStreamTest() throws Exception {
        fake = new FakeModel();
    }

    @AfterEach
    void stop() throws Exception {
        fake.close();
    }

    /** A whole stream cut into pieces of {@code size} bytes: lines and UTF-8 characters are split anywhere. */
    static Object[] pieces(String stream, int size) {
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        List<Object> pieces = new ArrayList<>();
        for (int at = 0; at < bytes.length; at += size) pieces.add(Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + size)));
        return pieces.toArray();
    }

    // OpenAI: every event is one "data: <chunk JSON>" line and a blank line; the chunks repeat id, object
    // ("chat.completion.chunk"), created, model and system_fingerprint; the first delta carries the role; with
    // stream_options.include_usage every chunk has "usage": null and one more chunk, with "choices": [] and the
    // usage, comes before the last line "data: [DONE]" (OpenAI's chat streaming reference).
    static String openAiChunk(String choices, String usage) {
        return "data: {\"id\":\"chatcmpl-AbC\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_0ba0d124f1\","
                + "\"choices\":" + choices + ",\"usage\":" + usage + "}\n\n";
    }

    static String openAiText(String... pieces) {
        StringBuilder stream = new StringBuilder(openAiChunk("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\","
                + "\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}]", "null"));
        for (String piece : pieces) {
            stream.append(openAiChunk("[{\"index\":0,\"delta\":{\"content\":" + Json.write(Json.MAPPER.getNodeFactory()
                    .textNode(piece)) + "},\"logprobs\":null,\"finish_reason\":null}]", "null"));
        }
        stream.append(openAiChunk("[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]", "null"));
        stream.append(openAiChunk("[]", "{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0}}"));
        return stream.append("data: [DONE]\n\n").toString();
    }

    // Anthropic: every event is an "event: <type>" line, a "data: <JSON>" line whose "type" repeats the event's
    // name, and a blank line; message_start carries the Message with empty content and the input tokens; each
    // content block has content_block_start, content_block_delta events and content_block_stop; message_delta
    // has the stop_reason and cumulative usage; message_stop ends it; ping events may come anywhere
    // (Anthropic's "Streaming Messages", "Event types" and "Basic streaming request").
    static String anthropicEvent(String type, String data) {
        return "event: " + type + "\ndata: {\"type\":\"" + type + "\"" + (data.isEmpty() ? "" : "," + data) + "}\n\n";
    }

    static String anthropicText(String... pieces) {
        StringBuilder stream = new StringBuilder(anthropicEvent("message_start", "\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5-20250929\","
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":20,\"output_tokens\":1}}"));
        stream.append(anthropicEvent("content_block_start", "\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}"));
        stream.append(anthropicEvent("ping", ""));
        for (String piece : pieces) {
            stream.append(anthropicEvent("content_block_delta", "\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
                    + Json.write(Json.MAPPER.getNodeFactory().textNode(piece)) + "}"));
        }
        stream.append(anthropicEvent("content_block_stop", "\"index\":0"));
        stream.append(anthropicEvent("message_delta", "\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                + "\"usage\":{\"output_tokens\":7}"));
        return stream.append(anthropicEvent("message_stop", "")).toString();
    }

    private CompletableFuture<LlmAnswer> send(LlmProvider provider, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(fake.base(path)))
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(provider.streaming(json("{'model': 'm'}")))))
                .header("Content-Type", "application/json").build();
        return LlmStream.send(client, request, provider, provider.id() + " " + fake.base(path), recorder, 1 << 20,
                UnaryOperator.identity());
    }

    private static NodeException failure(CompletableFuture<LlmAnswer> answer) throws Exception {
        try {
            answer.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(NodeException.class);
            return (NodeException) e.getCause();
        }
        throw new AssertionError("the stream did not fail");
    }

    @Test
    void openai_text_split_mid_line_and_mid_character_is_assembled_and_each_piece_shown_in_order() throws Exception {
        fake.enqueue(FakeModel.Script.events(pieces(openAiText("Grüße", ", wie geht's? ", "👋"), 7)));

        LlmAnswer answer = send(LlmProvider.OPENAI, "/v1/chat/completions").get(10, TimeUnit.SECONDS);

        assertThat(answer).isEqualTo(new LlmAnswer("Grüße, wie geht's? 👋", List.of(), "gpt-4o-mini-2024-07-18", "stop", 12, 5));
        assertThat(deltas).containsExactly("Grüße", ", wie geht's? ", "👋");
        assertThat(Json.read(fake.requests.take())).isEqualTo(json("{'model': 'm', 'stream': true,"
                + " 'stream_options': {'include_usage': true}}"));
    }

    @Test
    void openai_parallel_tool_call_deltas_are_joined_by_index() throws Exception {
        // Tool calls stream as delta.tool_calls[] pieces keyed by "index": the first piece of each call has its
        // id, type and function.name with empty arguments, later pieces only function.arguments fragments
        // (OpenAI's chat streaming reference, "choices.delta.tool_calls"; function calling guide, "Streaming").
        String stream = openAiChunk("[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,"
                + "\"id\":\"call_DdmO9pD3xa9XTPNJ32zg2hcA\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}],"
                + "\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}]", "null")
                + openAiChunk("[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"lo\"}}]},"
                + "\"logprobs\":null,\"finish_reason\":null}]", "null")
                + openAiChunk("[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_2\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_time\",\"arguments\":\"\"}}]},\"logprobs\":null,\"finish_reason\":null}]", "null")
                + openAiChunk("[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"cation\\\": \\\"Paris\\\"}\"}}]},"
                + "\"logprobs\":null,\"finish_reason\":null}]", "null")
                + openAiChunk("[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"tz\\\": \\\"CET\\\"}\"}}]},"
                + "\"logprobs\":null,\"finish_reason\":null}]", "null")
                + openAiChunk("[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}]", "null")
                + openAiChunk("[]", "{\"prompt_tokens\":80,\"completion_tokens\":30,\"total_tokens\":110}")
                + "data: [DONE]\n\n";
        fake.enqueue(FakeModel.Script.events(pieces(stream, 13)));

        LlmAnswer answer = send(LlmProvider.OPENAI, "/v1/chat/completions").get(10, TimeUnit.SECONDS);

        assertThat(answer.toolCalls()).containsExactly(
                new LlmAnswer.ToolCall("call_DdmO9pD3xa9XTPNJ32zg2hcA", "get_weather", "{\"location\": \"Paris\"}"),
                new LlmAnswer.ToolCall("call_2", "get_time", "{\"tz\": \"CET\"}"));
        assertThat(answer.text()).isEmpty();
        assertThat(answer.finishReason()).isEqualTo("tool_calls");
        assertThat(answer.inputTokens()).isEqualTo(80);
        assertThat(answer.outputTokens()).isEqualTo(30);
        assertThat(deltas).isEmpty();
    }

    @Test
    void anthropic_text_and_tool_use_blocks_are_assembled_with_cumulative_usage() throws Exception {
        // A tool_use block starts with its id, name and an empty "input": {}; the input comes as input_json_delta
        // partial_json strings to be joined and parsed at content_block_stop (Anthropic's "Streaming Messages",
        // "Input JSON delta" and "Streaming request with tool use"). The usage in message_delta is cumulative.
        String stream = anthropicEvent("message_start", "\"message\":{\"id\":\"msg_014p7gG3wDgGV9EUtLvnow3U\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":472,\"output_tokens\":2},\"content\":[],\"stop_reason\":null}")
                + anthropicEvent("content_block_start", "\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}")
                + anthropicEvent("ping", "")
                + anthropicEvent("content_block_delta", "\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Okay, let's check\"}")
                + anthropicEvent("content_block_delta", "\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" the weather.\"}")
                + anthropicEvent("content_block_stop", "\"index\":0")
                + anthropicEvent("content_block_start", "\"index\":1,\"content_block\":{\"type\":\"tool_use\","
                + "\"id\":\"toolu_01T1x1fJ34qAmk2tNTrN7Up6\",\"name\":\"get_weather\",\"input\":{}}")
                + anthropicEvent("content_block_delta", "\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}")
                + anthropicEvent("content_block_delta", "\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"location\\\":\"}")
                + anthropicEvent("content_block_delta", "\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\" \\\"San Francisco, CA\\\"}\"}")
                + anthropicEvent("content_block_stop", "\"index\":1")
                + anthropicEvent("message_delta", "\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":89}")
                + anthropicEvent("message_stop", "");
        fake.enqueue(FakeModel.Script.events(pieces(stream, 11)));

        LlmAnswer answer = send(LlmProvider.ANTHROPIC, "/v1/messages").get(10, TimeUnit.SECONDS);

        assertThat(answer).isEqualTo(new LlmAnswer("Okay, let's check the weather.",
                List.of(new LlmAnswer.ToolCall("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather", "{\"location\": \"San Francisco, CA\"}")),
                "claude-sonnet-4-5-20250929", "tool_use", 472, 89));
        assertThat(deltas).containsExactly("Okay, let's check", " the weather.");
        assertThat(Json.read(fake.requests.take())).isEqualTo(json("{'model': 'm', 'stream': true}"));
    }

    @Test
    void anthropic_error_event_mid_stream_fails_naming_the_provider_and_the_error() throws Exception {
        // "We may occasionally send errors in the event stream", e.g. overloaded_error (Anthropic's "Streaming
        // Messages", "Error events").
        String stream = anthropicText("Hello").substring(0, anthropicText("Hello").indexOf("event: content_block_stop"))
                + "event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n";
        fake.enqueue(FakeModel.Script.events(pieces(stream, 50)));

        NodeException failure = failure(send(LlmProvider.ANTHROPIC, "/v1/messages"));

        assertThat(failure.type()).isEqualTo(LlmNode.ERROR);
        assertThat(failure.getMessage()).startsWith("anthropic http://127.0.0.1:").contains("overloaded_error: Overloaded");
        assertThat(failure.retryable()).isTrue();
        assertThat(deltas).containsExactly("Hello");
    }

    @Test
    void a_stream_cut_before_done_fails_instead_of_answering_half_a_text() throws Exception {
        String whole = openAiText("The first half", " and the second half");
        String half = whole.substring(0, whole.indexOf(" and the second"));
        fake.enqueue(FakeModel.Script.events(pieces(half, 40)));

        NodeException ended = failure(send(LlmProvider.OPENAI, "/v1/chat/completions"));

        assertThat(ended.type()).isEqualTo(LlmNode.ERROR);
        assertThat(ended.getMessage()).startsWith("openai http://127.0.0.1:").contains("data: [DONE]", "cut off after 14 characters");

        fake.enqueue(new FakeModel.Script(200, "text/event-stream", List.of(new FakeModel.Step.Piece(
                half.getBytes(StandardCharsets.UTF_8)), new FakeModel.Step.Cut())));
        NodeException broken = failure(send(LlmProvider.OPENAI, "/v1/chat/completions"));

        assertThat(broken.type()).isEqualTo(LlmNode.ERROR);
        assertThat(broken.getMessage()).startsWith("openai http://127.0.0.1:").contains("stream broke before its end");
    }

    @Test
    void the_connections_own_error_after_text_was_shown_is_a_stream_that_broke_whoever_reports_it_first() {
        // The client may fail the exchange with the connection's error before the stream's reader reports the cut.
        java.io.IOException reset = new java.io.IOException("Connection reset");
        NodeException asSent = LlmStream.failure(reset, "openai http://model", 1000, text -> text);

        NodeException afterText = LlmStream.afterText(asSent, reset, "openai http://model", 6);
        assertThat(afterText.type()).isEqualTo(LlmNode.ERROR);
        assertThat(afterText.getMessage()).startsWith("openai http://model stream broke before its end (")
                .endsWith("), after 6 characters of text");
        assertThat(afterText.retryable()).isTrue();

        assertThat(LlmStream.afterText(asSent, reset, "openai http://model", 0)).isSameAs(asSent);
        NodeException readers = new NodeException(LlmNode.ERROR, "the reader's own words", true);
        assertThat(LlmStream.afterText(readers, new java.util.concurrent.CompletionException(readers),
                "openai http://model", 6)).isSameAs(readers);
        NodeException timeout = new NodeException(dev.weft.task.ErrorTypes.TIMEOUT, "no answer in time", true);
        assertThat(LlmStream.afterText(timeout, new java.net.http.HttpTimeoutException("timed out"),
                "openai http://model", 6)).isSameAs(timeout);
    }

    @Test
    void a_refusal_before_the_stream_fails_with_the_status_and_the_providers_message() throws Exception {
        fake.enqueue(FakeModel.Script.status(401, "{\"error\": {\"message\": \"Incorrect API key provided\","
                + " \"type\": \"invalid_request_error\", \"param\": null, \"code\": \"invalid_api_key\"}}"));

        NodeException failure = failure(send(LlmProvider.OPENAI, "/v1/chat/completions"));

        assertThat(failure.type()).isEqualTo(LlmNode.STATUS);
        assertThat(failure.getMessage()).isEqualTo("openai " + fake.base("/v1/chat/completions")
                + " answered 401: invalid_request_error: Incorrect API key provided");
        assertThat(failure.retryable()).isFalse();
    }

    @Test
    void the_answer_is_pending_while_the_provider_holds_the_stream_and_text_already_shown() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        String stream = openAiText("Thinking", " done.");
        int cut = stream.indexOf("data:", stream.indexOf("Thinking"));
        fake.enqueue(FakeModel.Script.events(stream.substring(0, cut), new FakeModel.Step.Hold(release), stream.substring(cut)));

        CompletableFuture<LlmAnswer> answer = send(LlmProvider.OPENAI, "/v1/chat/completions");
        assertThat(firstText.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(deltas).containsExactly("Thinking");
        assertThat(answer).isNotDone();
        release.countDown();
        assertThat(answer.get(10, TimeUnit.SECONDS).text()).isEqualTo("Thinking done.");
    }
}
