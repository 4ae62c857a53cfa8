package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.builtin.FakeOpenAiMedia;
import dev.weft.json.Json;
import dev.weft.server.ClusterConfig;
import dev.weft.store.testing.TestPostgres;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The media nodes through the run API on a real server, on both databases, against a fake of OpenAI's media
 * endpoints: a file uploaded with the files API goes in as a start input, the credential is one created through the
 * credentials API, and the results are Weft file URLs that download with the bytes the provider made.
 */
class MediaFlowsTest {

    static final Duration LIMIT = Duration.ofSeconds(20);
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static Stream<Arguments> databases() {
        Supplier<TestServer> sqlite = TestServer::start;
        Supplier<TestServer> postgres = () -> {
            String url = TestPostgres.newDatabase();
            return TestServer.startWith(c -> c.withCluster(ClusterConfig.defaults().withDbUrl(url)));
        };
        return Stream.of(Arguments.of("sqlite", sqlite), Arguments.of("postgresql", postgres));
    }

    /** Uploads {@code bytes} with the files API; returns the stored file's JSON. */
    private static JsonNode upload(TestServer server, String name, String type, byte[] bytes, String key) throws Exception {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(server.base()
                        + "/api/v1/files?filename=" + name)).header("Content-Type", type).header("Authorization", key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return Json.read(answer.body());
    }

    private static HttpResponse<byte[]> download(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void credential(TestServer server) {
        TestServer.Answer created = server.post("/api/v1/credentials", "{\"name\": \"openai\", \"secret\": \""
                + FakeOpenAiMedia.KEY + "\", \"hosts\": [\"127.0.0.1\"]}", TestServer.ADMIN_AUTH);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

    private static JsonNode run(TestServer server, long flow, ObjectNode data, String key) {
        ObjectNode body = Json.object();
        body.putObject("node_settings").putObject("start").set("data", data);
        TestServer.Answer started = server.post("/api/v1/scade/flow/" + flow + "/execute", Json.write(body), key);
        assertThat(started.status()).as(started.text()).isEqualTo(200);
        return server.awaitTask(started.json().path("id").asLong(), key, LIMIT);
    }

    /** The image example, set to edit the uploaded photo on the fake. */
    private static String editFlow(FakeOpenAiMedia fake) {
        ObjectNode flow = (ObjectNode) Json.read(TestServer.example("image.json"));
        ObjectNode start = (ObjectNode) flow.path("nodes").get(0).path("settings");
        ((ObjectNode) start.path("inputs")).putObject("photo").put("type", "string").put("format", "uri")
                .put("required", true);
        ObjectNode draw = (ObjectNode) flow.path("nodes").get(1).path("settings");
        draw.put("base_url", fake.baseUrl()).put("operation", "edit").put("image", "{{start.photo}}");
        ((com.fasterxml.jackson.databind.node.ArrayNode) flow.path("edges").get(0).path("fields_mapping")).addObject()
                .put("from_field", "photo").put("to_field", "photo");
        return Json.write(flow);
    }

    private static String transcribeFlow(FakeOpenAiMedia fake) {
        return ("{'name': 'Transcribe a memo', 'nodes': ["
                + "{'id': 'start', 'type': 'start', 'settings': {'inputs': {'audio': {'type': 'string', 'format': 'uri',"
                + " 'required': true}}}},"
                + "{'id': 'listen', 'type': 'transcribe', 'settings': {'credential': 'openai', 'base_url': '"
                + fake.baseUrl() + "', 'audio': '{{start.audio}}', 'language': 'en', 'timestamps': 'segment'}},"
                + "{'id': 'end', 'type': 'end', 'settings': {'outputs': {'text': {'type': 'string'},"
                + " 'segments': {'type': 'array'}, 'duration': {'type': 'number'}}}}],"
                + "'edges': [{'from_node': 'start', 'to_node': 'listen', 'fields_mapping': [{'from_field': 'audio',"
                + " 'to_field': 'audio'}]}, {'from_node': 'listen', 'to_node': 'end', 'fields_mapping': ["
                + "{'from_field': 'text', 'to_field': 'text'}, {'from_field': 'segments', 'to_field': 'segments'},"
                + "{'from_field': 'duration', 'to_field': 'duration'}]}]}").replace('\'', '"');
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void an_uploaded_photo_is_edited_and_a_memo_transcribed_with_weft_files_in_and_out(String name,
            Supplier<TestServer> open) throws Exception {
        try (TestServer server = open.get(); FakeOpenAiMedia fake = new FakeOpenAiMedia()) {
            String key = server.newKeyAuth("media");
            credential(server);
            byte[] photo = FakeOpenAiMedia.png("photo", 32);
            JsonNode uploaded = upload(server, "photo.png", "image/png", photo, key);

            long edit = server.publishFlow(editFlow(fake));
            JsonNode done = run(server, edit, Json.object().put("prompt", "add a red boat")
                    .put("photo", uploaded.path("id").asText()), key);

            assertThat(done.path("status").asInt()).as(done.toString()).isEqualTo(3);
            FakeOpenAiMedia.Received sent = fake.on("/v1/images/edits").get(0);
            assertThat(sent.headers().get("authorization")).isEqualTo("Bearer " + FakeOpenAiMedia.KEY);
            assertThat(sent.all("image").get(0).bytes()).as("the uploaded file went up").isEqualTo(photo);
            assertThat(sent.all("image").get(0).fileName()).isEqualTo("photo.png");
            String image = done.path("result").path("image").asText();
            assertThat(image).startsWith(server.base() + "/api/v1/files/f");
            assertThat(done.path("result").path("images").get(0).path("url").asText()).isEqualTo(image);
            HttpResponse<byte[]> picture = download(image);
            assertThat(picture.statusCode()).isEqualTo(200);
            assertThat(picture.headers().firstValue("content-type")).contains("image/png");
            assertThat(picture.body()).isEqualTo(FakeOpenAiMedia.png("edit of 1 image(s): add a red boat#0", FakeOpenAiMedia.IMAGE_SIZE));

            byte[] memo = "ID3\u0003 a short voice memo".getBytes(StandardCharsets.ISO_8859_1);
            JsonNode audio = upload(server, "memo.mp3", "audio/mpeg", memo, key);
            long transcribe = server.publishFlow(transcribeFlow(fake));
            JsonNode heard = run(server, transcribe, Json.object().put("audio", audio.path("url").asText()), key);

            assertThat(heard.path("status").asInt()).as(heard.toString()).isEqualTo(3);
            assertThat(heard.path("result").path("text").asText())
                    .isEqualTo("Transcript of memo.mp3 (" + memo.length + " bytes)");
            assertThat(heard.path("result").path("segments")).hasSize(2);
            assertThat(heard.path("result").path("duration").asDouble()).isEqualTo(2.5);
            FakeOpenAiMedia.Received memoSent = fake.on("/v1/audio/transcriptions").get(0);
            assertThat(memoSent.all("file").get(0).bytes()).isEqualTo(memo);
            assertThat(memoSent.field("response_format")).isEqualTo("verbose_json");
        }
    }

    @Test
    void empty_audio_fails_the_transcribe_step_naming_the_setting_and_sends_nothing() throws Exception {
        try (TestServer server = TestServer.start(); FakeOpenAiMedia fake = new FakeOpenAiMedia();
             MockWebServer outside = new MockWebServer()) {
            outside.start(InetAddress.getByName("127.0.0.1"), 0);
            outside.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "audio/mpeg").body("").build());
            String key = server.newKeyAuth("media");
            credential(server);
            long transcribe = server.publishFlow(transcribeFlow(fake));
            String silence = "http://127.0.0.1:" + outside.getPort() + "/silence.mp3";

            JsonNode failed = run(server, transcribe, Json.object().put("audio", silence), key);

            assertThat(failed.path("status").asInt()).as(failed.toString()).isEqualTo(4);
            assertThat(failed.toString()).contains("file_empty")
                    .contains("settings.audio: GET " + silence + " is empty (0 bytes)");
            assertThat(fake.received).isEmpty();
            assertThat(server.get("/health", null).status()).isEqualTo(200);
        }
    }
}
