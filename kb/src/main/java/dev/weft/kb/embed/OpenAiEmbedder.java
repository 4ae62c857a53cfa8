package dev.weft.kb.embed;

import dev.weft.node.RetryAfter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Any OpenAI-compatible {@code POST {url}/embeddings} (OpenAI, Ollama, vLLM, LM Studio, llama.cpp): texts go in
 * batches, the secret of a stored credential as a bearer token. 429 and 5xx are retried as the {@code llm} node does,
 * waiting what {@code Retry-After} asks (seconds or an HTTP date) or backing off; an answer with vectors of another
 * dimension than the KB's is refused, never stored.
 */
public final class OpenAiEmbedder implements Embedder {

    public static final int BATCH = 64;
    public static final int RETRIES_MAX = 4;
    public static final Duration TIMEOUT = Duration.ofSeconds(60);
    public static final Duration WAIT_MAX = Duration.ofSeconds(60);
    static final Duration BACKOFF_FIRST = Duration.ofMillis(500);
    static final Set<Integer> RETRIED = Set.of(429, 500, 502, 503, 504);
    static final int BODY_MAX = 64 << 20;

    /** What waits between tries: a real sleep, or a recorded one in tests. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration wait) throws InterruptedException;
    }

    private final HttpClient client;
    private final URI endpoint;
    private final String model;
    private final int dimension;
    private final String credential;
    private final SecretSource secrets;
    private final Sleeper sleeper;

    public OpenAiEmbedder(HttpClient client, String baseUrl, String model, int dimension, String credential,
                          SecretSource secrets, Sleeper sleeper) {
        this.client = client;
        this.endpoint = URI.create(baseUrl.replaceAll("/+$", "") + "/embeddings");
        this.model = model;
        this.dimension = dimension;
        this.credential = credential;
        this.secrets = secrets;
        this.sleeper = sleeper;
    }

    @Override
    public int batchSize() {
        return BATCH;
    }

    @Override
    public List<float[]> embed(List<String> texts) throws EmbeddingException, InterruptedException {
        String secret = credential == null ? null : secrets.secretFor(credential, endpoint.getHost());
        ObjectNode body = Json.object().put("model", model);
        ArrayNode input = body.putArray("input");
        texts.forEach(input::add);
        byte[] bytes = Json.bytes(body);
        for (int retry = 0; ; retry++) {
            HttpResponse<byte[]> response;
            try {
                response = send(bytes, secret);
            } catch (IOException e) {
                if (retry >= RETRIES_MAX) throw failure(where() + " failed: " + e, true, secret);
                sleeper.sleep(backoff(retry));
                continue;
            }
            int status = response.statusCode();
            if (status >= 200 && status <= 299) return vectors(response.body(), texts.size());
            EmbeddingException failure = failure(where() + " answered " + status + ": " + message(response.body()),
                    RETRIED.contains(status), secret);
            if (!RETRIED.contains(status) || retry >= RETRIES_MAX) throw failure;
            Duration wait = RetryAfter.parse(response.headers().firstValue("retry-after"), Instant.now())
                    .orElse(backoff(retry));
            if (wait.compareTo(WAIT_MAX) > 0) {
                throw failure(failure.getMessage() + " (it asks to wait " + wait.toSeconds() + " s)", true, secret);
            }
            sleeper.sleep(wait);
        }
    }

    private HttpResponse<byte[]> send(byte[] body, String secret) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json").header("Accept", "application/json");
        if ("http".equalsIgnoreCase(endpoint.getScheme())) request.version(HttpClient.Version.HTTP_1_1);
        if (secret != null) request.header("Authorization", "Bearer " + secret);
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new IOException("no answer within " + TIMEOUT.toSeconds() + " s", e);
        }
    }

    /** The vectors of OpenAI's answer {@code {"data": [{"index": i, "embedding": [...]}, ...]}}, put in input order. */
    private List<float[]> vectors(byte[] body, int count) throws EmbeddingException {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new EmbeddingException(where() + " answered with a body that is not JSON", true);
        }
        JsonNode data = json.path("data");
        if (!data.isArray() || data.size() != count) {
            throw new EmbeddingException(where() + " answered " + (data.isArray() ? data.size() : 0)
                    + " embeddings for " + count + " texts", false);
        }
        float[][] out = new float[count][];
        for (JsonNode item : data) {
            int index = item.path("index").asInt(-1);
            JsonNode embedding = item.path("embedding");
            if (index < 0 || index >= count || out[index] != null || !embedding.isArray()) {
                throw new EmbeddingException(where() + " answered an embedding without a valid index", false);
            }
            if (embedding.size() != dimension) {
                throw new EmbeddingException(where() + " answered vectors of " + embedding.size()
                        + " dimensions; this knowledge base holds vectors of " + dimension + " (model " + model + ")",
                        false);
            }
            float[] vector = new float[dimension];
            for (int i = 0; i < dimension; i++) vector[i] = (float) embedding.get(i).asDouble();
            out[index] = vector;
        }
        return new ArrayList<>(List.of(out));
    }

    private static String message(byte[] body) {
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            JsonNode message = json.path("error").path("message");
            if (message.isTextual()) return message.asText();
            if (json.path("error").isTextual()) return json.path("error").asText();
        } catch (IOException notJson) {
            // fall through to the text
        }
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private EmbeddingException failure(String message, boolean transientFailure, String secret) {
        String safe = secret == null || secret.length() < 4 ? message : message.replace(secret, "***");
        return new EmbeddingException(safe, transientFailure);
    }

    private String where() {
        return "the embeddings endpoint " + endpoint.getScheme() + "://" + endpoint.getAuthority() + endpoint.getPath();
    }

    static Duration backoff(int retry) {
        Duration wait = BACKOFF_FIRST.multipliedBy(1L << Math.min(retry, 10));
        return wait.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : wait;
    }
}
