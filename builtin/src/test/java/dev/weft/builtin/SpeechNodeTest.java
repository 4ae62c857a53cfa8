package dev.weft.builtin;

import static dev.weft.builtin.Calls.call;
import static dev.weft.builtin.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The speech node against a fake speaking OpenAI's audio/speech. */
class SpeechNodeTest {

    private final MemoryFiles files = new MemoryFiles();
    private final SpeechNode node = new SpeechNode(MediaNodes.services(files));
    private FakeOpenAiMedia fake;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeOpenAiMedia();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private ObjectNode settings(String more) {
        ObjectNode settings = json("{'credential': 'openai', 'input': 'Your order has shipped.'"
                + (more.isEmpty() ? "" : ", " + more) + "}");
        settings.put("base_url", fake.baseUrl());
        return settings;
    }

    private JsonNode run(ObjectNode settings) throws Exception {
        return node.run(call(settings, Json.object())).data();
    }

    private NodeException failure(ObjectNode settings) {
        return (NodeException) catchThrowable(() -> run(settings));
    }

    @Test
    void the_spoken_audio_is_stored_as_an_mp3_file() throws Exception {
        JsonNode out = run(settings("'speed': 1.25"));

        assertThat(fake.on("/v1/audio/speech").get(0).json()).isEqualTo(json("{'model': 'tts-1',"
                + " 'input': 'Your order has shipped.', 'voice': 'alloy', 'response_format': 'mp3', 'speed': 1.25}"));
        MemoryFiles.File file = files.saved.get(0);
        assertThat(file.bytes()).isEqualTo(FakeOpenAiMedia.speech("Your order has shipped.", "mp3"));
        assertThat(file.contentType()).isEqualTo("audio/mpeg");
        assertThat(file.name()).isEqualTo("speech.mp3");
        assertThat(out.path("audio").asText()).isEqualTo(MemoryFiles.BASE + file.id());
        assertThat(Json.write(out.path("file"))).isEqualTo(Json.write(json("{'url': '" + MemoryFiles.BASE + file.id()
                + "', 'file_id': '" + file.id() + "', 'content_type': 'audio/mpeg', 'size': " + file.bytes().length
                + "}")));
    }

    @Test
    void each_format_is_stored_with_its_content_type_and_instructions_are_sent() throws Exception {
        run(settings("'format': 'wav', 'voice': 'coral', 'model': 'gpt-4o-mini-tts', 'instructions': 'Cheerful.'"));
        run(settings("'format': 'opus'"));

        JsonNode sent = fake.on("/v1/audio/speech").get(0).json();
        assertThat(sent.path("voice").asText()).isEqualTo("coral");
        assertThat(sent.path("instructions").asText()).isEqualTo("Cheerful.");
        assertThat(files.saved).extracting(MemoryFiles.File::contentType).containsExactly("audio/wav", "audio/ogg");
        assertThat(files.saved).extracting(MemoryFiles.File::name).containsExactly("speech.wav", "speech.ogg");
    }

    @Test
    void a_json_answer_with_status_200_is_not_audio() {
        fake.answerNext(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"detail\": \"queued\"}").build());

        NodeException e = failure(settings(""));

        assertThat(e.type()).isEqualTo(SpeechNode.NOT_AUDIO);
        assertThat(e.getMessage()).endsWith("answered 200 with application/json instead of audio: {\"detail\": \"queued\"}");
        assertThat(files.saved).isEmpty();
    }

    @Test
    void a_provider_500_fails_after_its_retries_and_a_refused_key_at_once() {
        for (int i = 0; i < 2; i++) fake.failNext(500, "server_error", null, "Internal error");

        NodeException e = failure(settings("'max_retries': 1"));

        assertThat(e.type()).isEqualTo(MediaClient.PROVIDER_ERROR);
        assertThat(e.getMessage()).endsWith("answered 500: server_error: Internal error");
        assertThat(fake.on("/v1/audio/speech")).hasSize(2);

        ObjectNode wrong = settings("");
        wrong.put("credential", "wrong");
        NodeException refused = failure(wrong);
        assertThat(refused.getMessage()).contains("answered 401").doesNotContain("sk-wrong");
        assertThat(fake.on("/v1/audio/speech")).hasSize(3);
        assertThat(files.saved).isEmpty();
    }

    @Test
    void a_provider_that_does_not_answer_in_time_fails_the_step_with_timeout() {
        fake.answerNext(new MockResponse.Builder().code(200).addHeader("Content-Type", "audio/mpeg")
                .headersDelay(2, TimeUnit.SECONDS).body("late").build());

        NodeException e = failure(settings("'timeout_ms': 300"));

        assertThat(e.type()).isEqualTo("timeout");
        assertThat(e.getMessage()).contains("within 300 ms");
        assertThat(files.saved).isEmpty();
    }

    @Test
    void audio_over_the_file_limit_is_refused() {
        fake.answerNext(new MockResponse.Builder().code(200).addHeader("Content-Type", "audio/mpeg")
                .body(new okio.Buffer().write(new byte[(int) MediaNodes.FILE_MAX + 1])).build());

        NodeException e = failure(settings(""));

        assertThat(e.type()).isEqualTo(MediaClient.FILE_TOO_LARGE);
        assertThat(e.getMessage()).endsWith("answered with a body over the limit of " + MediaNodes.FILE_MAX + " bytes");
        assertThat(files.saved).isEmpty();
    }
}
