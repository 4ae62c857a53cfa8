package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.builtin.FakeReplicate;
import dev.weft.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A model flow on a real server through the Scade-compatible run API, against the fake of Replicate's prediction API
 * from the builtin module's test jar: an uploaded file reaches the model as a data URL, the prediction is read on
 * the engine's timer until it succeeds, and its output image is stored and served back at a Weft file URL.
 */
class ModelFlowTest {

    static final String TOKEN = "r8_servertest0123456789";
    static final Duration LIMIT = Duration.ofSeconds(20);
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static TestServer server;
    static FakeReplicate replicate;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        replicate = new FakeReplicate(TOKEN);
        server = TestServer.start();
        key = server.newKeyAuth("model-tests");
        TestServer.Answer credential = server.post("/api/v1/credentials", "{\"name\": \"replicate\", \"secret\": \""
                + TOKEN + "\", \"hosts\": [\"127.0.0.1\"]}", TestServer.ADMIN_AUTH);
        assertThat(credential.status()).as(credential.text()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
        replicate.close();
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.header("Authorization", key).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void a_model_flow_sends_an_uploaded_photo_inline_polls_the_prediction_and_stores_its_output_image() throws Exception {
        byte[] photo = new byte[3000];
        for (int i = 0; i < photo.length; i++) photo[i] = (byte) (i * 7);
        HttpResponse<byte[]> uploaded = send(HttpRequest.newBuilder(URI.create(server.base()
                + "/api/v1/files?filename=photo.jpg")).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(photo)));
        assertThat(uploaded.statusCode()).isEqualTo(201);
        String photoId = Json.read(new String(uploaded.body(), StandardCharsets.UTF_8)).path("id").asText();
        String document = TestServer.example("model.json")
                .replace("\"credential\": \"replicate\",", "\"credential\": \"replicate\", \"base_url\": \""
                        + replicate.base() + "\",")
                .replace("\"output_format\": \"png\"}", "\"output_format\": \"png\", \"image\": \"{{start.photo}}\"}")
                .replace("\"inputs\": {", "\"inputs\": {\"photo\": {\"type\": \"string\", \"format\": \"uri\"}, ");
        long flow = server.publishFlow(document);
        replicate.plan(FakeReplicate.Plan.succeeds(1, Json.MAPPER.createArrayNode().add(replicate.fileUrl("out.png"))));

        TestServer.Answer started = server.post("/api/v1/scade/flow/" + flow + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": {\"prompt\": \"a fox\", \"photo\": \"" + photoId + "\"}}}}",
                key);
        assertThat(started.status()).as(started.text()).isEqualTo(200);
        JsonNode done = server.awaitTask(started.json().path("id").asLong(), key, LIMIT);

        assertThat(done.path("status").asInt()).as(done.toString()).isEqualTo(3);
        JsonNode result = done.path("result");
        String image = result.path("image").asText();
        assertThat(image).startsWith(server.base() + "/api/v1/files/f");
        assertThat(result.path("files")).hasSize(1);
        assertThat(result.path("files").get(0).path("url").asText()).isEqualTo(image);
        assertThat(result.path("files").get(0).path("content_type").asText()).isEqualTo("image/png");
        assertThat(result.path("metrics").path("predict_time").asDouble()).isEqualTo(4.2);
        HttpResponse<byte[]> served = send(HttpRequest.newBuilder(URI.create(image)).GET());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(FakeReplicate.PNG);

        RecordedRequest create = replicate.requests.poll(5, TimeUnit.SECONDS);
        assertThat(create.getUrl().encodedPath()).isEqualTo("/v1/models/black-forest-labs/flux-schnell/predictions");
        assertThat(create.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(create.getHeaders().get("Prefer")).isEqualTo("wait=30");
        JsonNode input = Json.read(create.getBody().utf8()).path("input");
        assertThat(input.path("prompt").asText()).isEqualTo("a fox");
        assertThat(input.path("image").asText())
                .isEqualTo("data:image/jpeg;base64," + Base64.getEncoder().encodeToString(photo));
        assertThat(replicate.requests).extracting(RecordedRequest::getMethod).containsExactly("GET", "GET", "GET");
        assertThat(done.toString()).doesNotContain(TOKEN);
    }

    @Test
    void a_model_node_without_model_or_version_is_refused_at_save_naming_the_field() {
        String document = TestServer.example("model.json").replace("\"model\": \"black-forest-labs/flux-schnell\", ", "");
        TestServer.Answer answer = server.post("/api/v1/flows", document, TestServer.ADMIN_AUTH);
        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.text()).contains("settings.model").contains("is required unless version is given");
    }
}
