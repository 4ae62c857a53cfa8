package dev.weft.kb.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.json.Json;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible provider against a fake on 127.0.0.1 that answers in OpenAI's wire format. */
class OpenAiEmbedderTest {

    static final String KEY = "sk-test-secret-123";
    final MockWebServer server = new MockWebServer();
    final List<Duration> slept = new ArrayList<>();
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    OpenAiEmbedder embedder(int dimension) {
        return new OpenAiEmbedder(client, "http://127.0.0.1:" + server.getPort() + "/v1/", "text-embedding-3-small",
                dimension, "openai", (name, host) -> {
                    if (!name.equals("openai") || !host.equals("127.0.0.1")) throw new EmbeddingException("refused", false);
                    return KEY;
                }, slept::add);
    }

    /** OpenAI's answer shape, with the items out of order as the API allows. */
    static String answer(float[]... vectors) {
        StringBuilder data = new StringBuilder();
        for (int i = vectors.length - 1; i >= 0; i--) {
            if (!data.isEmpty()) data.append(',');
            data.append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":")
                    .append(Json.write(vectors[i])).append('}');
        }
        return "{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"text-embedding-3-small\","
                + "\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}";
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    @Test
    void texts_go_in_one_request_and_vectors_come_back_in_input_order() throws Exception {
        server.enqueue(json(200, answer(new float[] {1, 0, 0}, new float[] {0, 0.5f, 0.25f})));

        List<float[]> vectors = embedder(3).embed(List.of("first", "second"));

        assertThat(vectors).hasSize(2);
        assertThat(vectors.get(0)).containsExactly(1, 0, 0);
        assertThat(vectors.get(1)).containsExactly(0, 0.5f, 0.25f);
        RecordedRequest request = server.takeRequest();
        assertThat(request.getTarget()).isEqualTo("/v1/embeddings");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(Json.read(request.getBody().utf8())).isEqualTo(Json.read(
                "{\"model\":\"text-embedding-3-small\",\"input\":[\"first\",\"second\"]}"));
    }

    @Test
    void a_429_waits_what_retry_after_asks_then_succeeds() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "3")
                .body("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}").build());
        server.enqueue(json(503, "{\"error\":{\"message\":\"overloaded\"}}"));
        server.enqueue(json(200, answer(new float[] {1, 2})));

        List<float[]> vectors = embedder(2).embed(List.of("x"));

        assertThat(vectors.get(0)).containsExactly(1, 2);
        assertThat(slept).containsExactly(Duration.ofSeconds(3), OpenAiEmbedder.backoff(1));
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void a_wrong_dimension_or_a_refusal_fails_clearly_and_never_shows_the_key() {
        server.enqueue(json(200, answer(new float[] {1, 2, 3, 4})));
        assertThatThrownBy(() -> embedder(3).embed(List.of("x"))).isInstanceOf(EmbeddingException.class)
                .hasMessageContaining("answered vectors of 4 dimensions; this knowledge base holds vectors of 3")
                .matches(e -> !((EmbeddingException) e).isTransient());

        server.enqueue(json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\"}}"));
        assertThatThrownBy(() -> embedder(3).embed(List.of("x"))).isInstanceOf(EmbeddingException.class)
                .hasMessageContaining("answered 401: Incorrect API key provided: ***")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void a_provider_that_stays_down_fails_as_transient_after_the_retries() {
        for (int i = 0; i <= OpenAiEmbedder.RETRIES_MAX; i++) server.enqueue(json(502, "bad gateway"));

        assertThatThrownBy(() -> embedder(2).embed(List.of("x"))).isInstanceOf(EmbeddingException.class)
                .hasMessageContaining("answered 502: bad gateway").matches(e -> ((EmbeddingException) e).isTransient());
        assertThat(slept).hasSize(OpenAiEmbedder.RETRIES_MAX);
    }
}
