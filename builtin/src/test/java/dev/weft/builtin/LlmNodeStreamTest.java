package dev.weft.builtin;

import static dev.weft.builtin.Calls.json;
import static dev.weft.builtin.LlmStreamTest.anthropicText;
import static dev.weft.builtin.LlmStreamTest.openAiText;
import static dev.weft.builtin.LlmStreamTest.pieces;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.Deltas;
import dev.weft.node.Journal;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The llm node's {@code stream} setting: the text reaches the step's deltas, and the output is the same. */
class LlmNodeStreamTest {

    private final List<Duration> waits = new ArrayList<>();
    private final LlmNode node = new LlmNode(new HttpNode.Options(true, 64 * 1024, 0), name -> java.util.Optional.empty(),
            waits::add);
    private final List<String> deltas = Collections.synchronizedList(new ArrayList<>());
    private final FakeModel fake;

    LlmNodeStreamTest() throws Exception {
        fake = new FakeModel();
    }

    @AfterEach
    void stop() throws Exception {
        fake.close();
    }

    private NodeOutput run(ObjectNode settings) throws InterruptedException {
        Deltas recorder = new Deltas() {
            @Override
            public void text(String text) {
                deltas.add(text);
            }
        };
        return node.run(new NodeCall(1, "ask", settings, Json.object(), 1, Duration.ofSeconds(10), Journal.memory(), recorder));
    }

    private ObjectNode settings(String provider, boolean stream) {
        ObjectNode settings = json("{'provider': '" + provider + "', 'model': 'any', 'user': 'Say hi'}");
        settings.put("base_url", fake.base(provider.equals("openai") ? "/v1" : "")).put("stream", stream);
        return settings;
    }

    @Test
    void openai_output_is_the_same_streamed_or_not_and_only_the_stream_shows_text_as_it_comes() throws Exception {
        fake.enqueue(FakeModel.Script.status(200, "{\"id\": \"chatcmpl-1\", \"object\": \"chat.completion\", \"created\": 1764000000,"
                + " \"model\": \"gpt-4o-mini-2024-07-18\", \"choices\": [{\"index\": 0, \"message\": {\"role\": \"assistant\","
                + " \"content\": \"Hi there, friend!\"}, \"logprobs\": null, \"finish_reason\": \"stop\"}],"
                + " \"usage\": {\"prompt_tokens\": 12, \"completion_tokens\": 5, \"total_tokens\": 17}}"));
        fake.enqueue(FakeModel.Script.events(pieces(openAiText("Hi", " there,", " friend!"), 9)));

        NodeOutput whole = run(settings("openai", false));
        assertThat(deltas).isEmpty();
        NodeOutput streamed = run(settings("openai", true));

        assertThat(streamed).isEqualTo(whole);
        assertThat(streamed.data().get("text").asText()).isEqualTo("Hi there, friend!");
        assertThat(deltas).containsExactly("Hi", " there,", " friend!");
        assertThat(Json.read(fake.requests.take()).has("stream")).isFalse();
        assertThat(Json.read(fake.requests.take()).get("stream").asBoolean()).isTrue();
        fake.headers.take();
        assertThat(fake.headers.take()).contains("accept: text/event-stream");
    }

    @Test
    void anthropic_output_is_the_same_streamed_or_not() throws Exception {
        fake.enqueue(FakeModel.Script.status(200, "{\"id\": \"msg_01\", \"type\": \"message\", \"role\": \"assistant\","
                + " \"model\": \"claude-sonnet-4-5-20250929\", \"content\": [{\"type\": \"text\", \"text\": \"Hello, you!\"}],"
                + " \"stop_reason\": \"end_turn\", \"stop_sequence\": null, \"usage\": {\"input_tokens\": 20, \"output_tokens\": 7}}"));
        fake.enqueue(FakeModel.Script.events(pieces(anthropicText("Hello", ", you!"), 5)));

        NodeOutput whole = run(settings("anthropic", false));
        NodeOutput streamed = run(settings("anthropic", true));

        assertThat(streamed).isEqualTo(whole);
        assertThat(deltas).containsExactly("Hello", ", you!");
    }

    @Test
    void a_stream_cut_before_any_text_is_retried_and_one_cut_after_text_is_left_to_the_step() throws Exception {
        String stream = openAiText("Half", " and more");
        byte[] beforeText = stream.substring(0, stream.indexOf("data:", 10)).getBytes(StandardCharsets.UTF_8);
        fake.enqueue(new FakeModel.Script(200, "text/event-stream", List.of(new FakeModel.Step.Piece(beforeText), new FakeModel.Step.Cut())));
        fake.enqueue(FakeModel.Script.events(stream));

        assertThat(run(settings("openai", true)).data().get("text").asText()).isEqualTo("Half and more");
        assertThat(waits).hasSize(1);

        byte[] throughHalf = stream.substring(0, stream.indexOf("data:", stream.indexOf("Half"))).getBytes(StandardCharsets.UTF_8);
        fake.enqueue(new FakeModel.Script(200, "text/event-stream", List.of(new FakeModel.Step.Piece(throughHalf), new FakeModel.Step.Cut())));
        deltas.clear();

        assertThatThrownBy(() -> run(settings("openai", true)))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo(LlmNode.ERROR);
                    assertThat(e.getMessage()).startsWith("openai http://127.0.0.1:" + fake.port()).contains("stream broke");
                    assertThat(e.retryable()).isTrue();
                });
        assertThat(deltas).containsExactly("Half");
        assertThat(waits).hasSize(1);
    }
}
