package dev.weft.api;

import dev.weft.file.FilesConfig;
import dev.weft.run.RunApiConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.server.ServerConfig;
import dev.weft.server.WeftConfig;
import dev.weft.server.WeftServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A real Weft server on a free loopback port with a temporary data folder, and a small HTTP client for it. */
public final class TestServer implements AutoCloseable {

    public static final String ADMIN = "test-admin-token";
    public static final String ADMIN_AUTH = "Bearer " + ADMIN;

    /** An HTTP answer: status, content type and body (parsed when JSON). */
    public record Answer(int status, String contentType, String text, java.util.Map<String, java.util.List<String>> headers) {
        public Answer(int status, String contentType, String text) {
            this(status, contentType, text, java.util.Map.of());
        }

        public JsonNode json() {
            return text.isEmpty() ? Json.object() : Json.read(text);
        }

        /** The first value of a response header, or null. */
        public String header(String name) {
            for (var entry : headers.entrySet()) {
                if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name)) return entry.getValue().get(0);
            }
            return null;
        }
    }

    private final WeftServer server;
    private final Path dataDir;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer(WeftServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    public static TestServer start() {
        return start(config -> config);
    }

    public static TestServer start(java.util.function.UnaryOperator<ServerConfig> adjust) {
        return start(adjust, RunApiConfig.DEFAULT);
    }

    /** A server with the run API's limits, callbacks and keys set by {@code run}. */
    public static TestServer start(java.util.function.UnaryOperator<ServerConfig> adjust, RunApiConfig run) {
        return start(adjust, run, FilesConfig.DEFAULT);
    }

    /** A server with a price table for language models ({@code WEFT_LLM_PRICES}). */
    public static TestServer startWithPrices(dev.weft.event.LlmPrices prices) {
        try {
            Path dataDir = Files.createTempDirectory("weft-test");
            ServerConfig config = ServerConfig.defaults().withPort(0).withDataDir(dataDir).withAdminToken(ADMIN)
                    .withAllowPrivateHttp(true);
            return new TestServer(WeftServer.start(WeftConfig.defaults().withServer(config).withLlmPrices(prices)), dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server with the file store's limit set by {@code files}. */
    public static TestServer start(java.util.function.UnaryOperator<ServerConfig> adjust, RunApiConfig run,
                                   FilesConfig files) {
        try {
            Path dataDir = Files.createTempDirectory("weft-test");
            ServerConfig config = adjust.apply(ServerConfig.defaults().withPort(0).withDataDir(dataDir)
                    .withAdminToken(ADMIN).withAllowPrivateHttp(true));
            return new TestServer(WeftServer.start(WeftConfig.defaults().withServer(config).withRun(run).withFiles(files)), dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server whose whole configuration (the test defaults, data folder and port included) {@code adjust} may change. */
    public static TestServer startWith(java.util.function.UnaryOperator<WeftConfig> adjust) {
        try {
            Path dataDir = Files.createTempDirectory("weft-test");
            ServerConfig config = ServerConfig.defaults().withPort(0).withDataDir(dataDir).withAdminToken(ADMIN)
                    .withAllowPrivateHttp(true);
            return new TestServer(WeftServer.start(adjust.apply(WeftConfig.defaults().withServer(config))), dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.port();
    }

    public String base() {
        return "http://127.0.0.1:" + server.port();
    }

    public Answer get(String path, String authorization) {
        return get(path, authorization, new String[0]);
    }

    /** A GET with extra headers (name, value, name, value...). */
    public Answer get(String path, String authorization, String... headers) {
        return send(withHeaders(HttpRequest.newBuilder(URI.create(base() + path)).GET(), authorization, headers));
    }

    /** A DELETE with extra headers (name, value, name, value...), such as the workspace the admin token acts in. */
    public Answer delete(String path, String authorization, String... headers) {
        return send(withHeaders(HttpRequest.newBuilder(URI.create(base() + path)).DELETE(), authorization, headers));
    }

    private static HttpRequest.Builder withHeaders(HttpRequest.Builder request, String authorization, String... headers) {
        if (authorization != null) request.header("Authorization", authorization);
        for (int i = 0; i + 1 < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        return request;
    }

    public Answer post(String path, String body, String authorization) {
        return send("POST", path, body, "application/json", authorization);
    }

    public Answer send(String method, String path, String body, String contentType, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) request.header("Content-Type", contentType);
        if (authorization != null) request.header("Authorization", authorization);
        return send(request);
    }

    /** A POST of JSON with extra headers (name, value, name, value...); the answer keeps its headers. */
    public Answer post(String path, String body, String authorization, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .POST(body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) request.header("Content-Type", "application/json");
        if (authorization != null) request.header("Authorization", authorization);
        for (int i = 0; i + 1 < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        return send(request);
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates and publishes a flow; returns its id. */
    public long publishFlow(String document) {
        Answer created = post("/api/v1/flows", document, ADMIN_AUTH);
        if (created.status() != 201) throw new AssertionError("create failed: " + created);
        long id = created.json().path("id").asLong();
        Answer published = post("/api/v1/flows/" + id + "/publish", null, ADMIN_AUTH);
        if (published.status() != 201) throw new AssertionError("publish failed: " + published);
        return id;
    }

    /** Makes a server key and returns the ready-to-send {@code Basic ...} header value. */
    public String newKeyAuth(String name) {
        ObjectNode body = Json.object().put("name", name);
        Answer created = post("/api/v1/keys", Json.write(body), ADMIN_AUTH);
        if (created.status() != 201) throw new AssertionError("key failed: " + created);
        return "Basic " + created.json().path("key").asText();
    }

    /** Polls the task as a Scade client does, until it is finished; fails after {@code limit}. */
    public JsonNode awaitTask(long id, String authorization, Duration limit) {
        return Polls.until("task " + id + " finished", limit, Duration.ofMillis(5),
                () -> get("/api/v1/task/" + id, authorization).json(), task -> task.path("status").asInt() >= 3);
    }

    /** A file of the repository's examples/ folder, which the tests run as users would. */
    public static String example(String name) {
        try {
            return Files.readString(Path.of("..", "examples", name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String resource(String name) {
        try (var in = TestServer.class.getResourceAsStream("/" + name)) {
            if (in == null) throw new IllegalArgumentException("no test resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every route the server answers ({@code "GET /health"}). */
    public java.util.List<String> routes() {
        return server.routes();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        server.close();
    }
}
