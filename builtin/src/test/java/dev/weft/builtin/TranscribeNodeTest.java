package dev.weft.builtin;

import static dev.weft.builtin.Calls.call;
import static dev.weft.builtin.Calls.json;
import static dev.weft.builtin.Calls.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transcribe node against a fake speaking OpenAI's audio/transcriptions (as Groq and whisper servers do). */
class TranscribeNodeTest {

    private static final byte[] AUDIO = "ID3\u0003fake mp3 frames".getBytes(StandardCharsets.ISO_8859_1);

    private final MemoryFiles files = new MemoryFiles();
    private final TranscribeNode node = new TranscribeNode(MediaNodes.services(files));
    private FakeOpenAiMedia fake;
    private HttpServer outside;
    /** The bytes the outside server wrote before the node hung up. */
    private final AtomicLong written = new AtomicLong();

    @BeforeEach
    void start() throws Exception {
        fake = new FakeOpenAiMedia();
        outside = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        outside.createContext("/talk.mp3", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "audio/mpeg");
            exchange.sendResponseHeaders(200, AUDIO.length);
            exchange.getResponseBody().write(AUDIO);
            exchange.close();
        });
        outside.createContext("/huge.wav", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "audio/wav");
            exchange.sendResponseHeaders(200, 2L * 1024 * 1024 * 1024);   // 2 GB declared
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < 32 * 1024; i++) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException hungUp) {
                // the node stopped reading: what the test expects
            }
        });
        outside.createContext("/streamed.wav", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "audio/wav");
            exchange.sendResponseHeaders(200, 0);   // no length given: the limit must stop it as it streams
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < 32 * 1024; i++) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException hungUp) {
                // as above
            }
        });
        outside.start();
    }

    @AfterEach
    void stop() {
        fake.close();
        outside.stop(0);
    }

    private ObjectNode settings(String audio, String more) {
        ObjectNode settings = json("{'credential': 'openai'" + (more.isEmpty() ? "" : ", " + more) + "}");
        settings.put("base_url", fake.baseUrl()).put("audio", audio);
        return settings;
    }

    private JsonNode run(ObjectNode settings) throws Exception {
        return node.run(call(settings, Json.object())).data();
    }

    private NodeException failure(ObjectNode settings) {
        return (NodeException) catchThrowable(() -> run(settings));
    }

    private String outside(String path) {
        return "http://127.0.0.1:" + outside.getAddress().getPort() + path;
    }

    @Test
    void a_stored_file_is_sent_as_multipart_and_the_text_emitted() throws Exception {
        String id = files.put("memo.mp3", "audio/mpeg", AUDIO);

        JsonNode out = run(settings(MemoryFiles.BASE + id, "'language': 'en', 'prompt': 'Weft, Scade', 'temperature': 0.2"));

        FakeOpenAiMedia.Received request = fake.on("/v1/audio/transcriptions").get(0);
        assertThat(request.headers().get("authorization")).isEqualTo("Bearer " + FakeOpenAiMedia.KEY);
        FakeOpenAiMedia.Part file = request.all("file").get(0);
        assertThat(file.fileName()).isEqualTo("memo.mp3");
        assertThat(file.contentType()).isEqualTo("audio/mpeg");
        assertThat(file.bytes()).isEqualTo(AUDIO);
        assertThat(request.field("model")).isEqualTo("whisper-1");
        assertThat(request.field("language")).isEqualTo("en");
        assertThat(request.field("prompt")).isEqualTo("Weft, Scade");
        assertThat(request.field("temperature")).isEqualTo("0.2");
        assertThat(request.field("response_format")).isEqualTo("json");
        assertThat(request.all("timestamp_granularities[]")).isEmpty();
        assertThat(out).isEqualTo(json("{'text': 'Transcript of memo.mp3 (" + AUDIO.length + " bytes)',"
                + " 'language': 'en', 'duration': null, 'segments': [], 'words': []}"));
    }

    @Test
    void word_timestamps_ask_for_verbose_json_and_come_back_with_segments() throws Exception {
        String id = files.put("memo", "audio/mpeg", AUDIO);

        JsonNode out = run(settings(id, "'timestamps': 'word', 'model': 'whisper-large-v3'"));

        FakeOpenAiMedia.Received request = fake.on("/v1/audio/transcriptions").get(0);
        assertThat(request.field("response_format")).isEqualTo("verbose_json");
        assertThat(request.all("timestamp_granularities[]")).extracting(FakeOpenAiMedia.Part::text)
                .containsExactly("segment", "word");
        assertThat(request.all("file").get(0).fileName()).as("an extension from the type").isEqualTo("memo.mp3");
        assertThat(out.path("language").asText()).isEqualTo("english");
        assertThat(out.path("duration").asDouble()).isEqualTo(2.5);
        assertThat(out.path("segments")).hasSize(2);
        assertThat(out.path("segments").get(1).path("start").asDouble()).isEqualTo(1.2);
        assertThat(Json.write(out.path("words"))).isEqualTo("[{\"word\":\"Transcript\",\"start\":0,\"end\":0.7},"
                + "{\"word\":\"of\",\"start\":0.7,\"end\":1.2}]");
    }

    @Test
    void segment_timestamps_give_segments_only() throws Exception {
        JsonNode out = run(settings(files.put("a.mp3", "audio/mpeg", AUDIO), "'timestamps': 'segment'"));

        assertThat(fake.on("/v1/audio/transcriptions").get(0).all("timestamp_granularities[]"))
                .extracting(FakeOpenAiMedia.Part::text).containsExactly("segment");
        assertThat(out.path("segments")).hasSize(2);
        assertThat(out.path("words")).isEmpty();
    }

    @Test
    void a_text_answer_is_read_as_the_transcript() throws Exception {
        JsonNode out = run(settings(files.put("a.mp3", "audio/mpeg", AUDIO), "'response_format': 'text'"));

        assertThat(out.path("text").asText()).isEqualTo("Transcript of a.mp3 (" + AUDIO.length + " bytes)");
    }

    @Test
    void an_outside_url_is_fetched_through_the_guard_and_sent() throws Exception {
        JsonNode out = run(settings(outside("/talk.mp3"), ""));

        FakeOpenAiMedia.Part file = fake.on("/v1/audio/transcriptions").get(0).all("file").get(0);
        assertThat(file.fileName()).isEqualTo("talk.mp3");
        assertThat(file.bytes()).isEqualTo(AUDIO);
        assertThat(out.path("text").asText()).startsWith("Transcript of talk.mp3");
    }

    @Test
    void zero_byte_audio_is_refused_before_sending_naming_the_setting() {
        String empty = files.put("silence.mp3", "audio/mpeg", new byte[0]);

        NodeException e = failure(settings(empty, ""));

        assertThat(e.type()).isEqualTo(MediaClient.FILE_EMPTY);
        assertThat(e.getMessage()).isEqualTo("settings.audio: file " + empty + " is empty (0 bytes): there is nothing"
                + " to send");
        assertThat(e.retryable()).isFalse();
        assertThat(fake.received).isEmpty();
    }

    @Test
    void a_stored_file_over_max_bytes_is_refused_by_its_size_without_being_read() {
        String big = files.put("long.mp3", "audio/mpeg", new byte[4096]);

        NodeException e = failure(settings(big, "'max_bytes': 1000"));

        assertThat(e.type()).isEqualTo(MediaClient.FILE_TOO_LARGE);
        assertThat(e.getMessage()).isEqualTo("settings.audio: file " + big + " has 4096 bytes; at most 1000 may be"
                + " read (max_bytes)");
        assertThat(files.read).as("refused by its recorded size").isEmpty();
        assertThat(fake.received).isEmpty();
    }

    @Test
    void a_2_gb_download_is_refused_from_its_declared_length() {
        NodeException e = failure(settings(outside("/huge.wav"), ""));

        assertThat(e.type()).isEqualTo(MediaClient.FILE_TOO_LARGE);
        assertThat(e.getMessage()).isEqualTo("settings.audio: GET " + outside("/huge.wav") + " answered with a file"
                + " over the limit of " + MediaNodes.FILE_MAX + " bytes (max_bytes)");
        assertThat(fake.received).isEmpty();
    }

    @Test
    void a_download_without_a_length_is_cut_off_at_the_limit() {
        NodeException e = failure(settings(outside("/streamed.wav"), "'max_bytes': 100000"));

        assertThat(e.type()).isEqualTo(MediaClient.FILE_TOO_LARGE);
        assertThat(fake.received).isEmpty();
        assertThat(written.get()).as("the server was stopped long before 2 GB").isLessThan(512L * 1024 * 1024);
    }

    @Test
    void a_reference_that_is_neither_a_file_nor_a_url_is_a_settings_error() {
        NodeException e = failure(settings("my recording", ""));

        assertThat(e.type()).isEqualTo(Settings.INVALID);
        assertThat(e.getMessage()).startsWith("settings.audio: must be one of this Weft's files");
    }

    @Test
    void provider_errors_are_quoted_and_a_bad_request_is_not_retried() {
        fake.failNext(400, "invalid_request_error", "invalid_value", "Invalid file format. Supported formats: ['flac', 'm4a', 'mp3']");

        NodeException e = failure(settings(files.put("a.xyz", "application/octet-stream", AUDIO), ""));

        assertThat(e.type()).isEqualTo(MediaClient.PROVIDER_ERROR);
        assertThat(e.getMessage()).isEqualTo("POST " + fake.baseUrl() + "/audio/transcriptions answered 400:"
                + " invalid_request_error: Invalid file format. Supported formats: ['flac', 'm4a', 'mp3']");
        assertThat(e.retryable()).isFalse();
        assertThat(fake.on("/v1/audio/transcriptions")).hasSize(1);
    }

    @Test
    void a_missing_credential_fails_before_the_file_is_read() {
        String id = files.put("a.mp3", "audio/mpeg", AUDIO);
        ObjectNode settings = settings(id, "");
        settings.put("credential", "nope");

        NodeException e = failure(settings);

        assertThat(e.type()).isEqualTo(StoredSecrets.MISSING);
        assertThat(files.read).isEmpty();
    }

    @Test
    void timestamps_need_verbose_json() {
        assertThat(problems(node, "{'audio': 'f1', 'timestamps': 'word', 'response_format': 'text'}"))
                .containsExactly("response_format: must be verbose_json when timestamps is word (got text)");
        assertThat(problems(node, "{'audio': 'f1', 'timestamps': 'segment'}")).isEmpty();
    }
}
