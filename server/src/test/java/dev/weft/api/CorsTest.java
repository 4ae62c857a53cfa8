package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.http.Cors;
import dev.weft.http.CorsConfig;
import dev.weft.server.WeftConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CORS for the run API over real HTTP: a preflight from an allowed origin is answered 204 without a key, with the
 * origin echoed and the methods and headers the API reads; answers (errors included) name the origin and expose
 * the headers clients read; an origin not listed, the management API and a server without
 * {@code WEFT_CORS_ORIGINS} get no CORS headers at all.
 */
class CorsTest {

    static final String APP = "http://app.example.test:5173";
    static final String HELLO_INPUT = "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Ada\"}}}}";
    static TestServer server;
    static long flowId;
    static String key;
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        server = TestServer.startWith(config -> config.withCors(CorsConfig.allowing(APP, "https://other.example.test")));
        flowId = server.publishFlow(TestServer.example("hello.json"));
        key = server.newKeyAuth("browser app");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> send(TestServer on, String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(on.base() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> preflight(TestServer on, String path, String origin, String method) {
        return send(on, "OPTIONS", path, null, "Origin", origin, "Access-Control-Request-Method", method,
                "Access-Control-Request-Headers", "authorization,content-type,idempotency-key");
    }

    static String header(HttpResponse<?> answer, String name) {
        return answer.headers().firstValue(name).orElse(null);
    }

    String execute() {
        return "/api/v1/scade/flow/" + flowId + "/execute";
    }

    @Test
    void a_preflight_from_an_allowed_origin_is_answered_204_without_a_key() {
        HttpResponse<String> answer = preflight(server, execute(), APP, "POST");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
        assertThat(answer.body()).isEmpty();
        assertThat(header(answer, "Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(answer.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("Origin"));
        assertThat(header(answer, "Access-Control-Allow-Methods")).isEqualTo(Cors.METHODS);
        assertThat(header(answer, "Access-Control-Allow-Headers"))
                .contains("Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID");
        assertThat(header(answer, "Access-Control-Max-Age")).isEqualTo(String.valueOf(Cors.MAX_AGE_SECONDS));
        assertThat(header(answer, "Access-Control-Allow-Credentials")).isNull();

        for (String path : new String[] {"/api/v1/task/1", "/api/v1/task/1/events", "/api/v1/files",
                "/api/v1/files/1", "/api/v1/task/1/cancel", "/api/v1/node-types"}) {
            HttpResponse<String> other = preflight(server, path, APP, "GET");
            assertThat(other.statusCode()).as(path).isEqualTo(204);
            assertThat(header(other, "Access-Control-Allow-Origin")).as(path).isEqualTo(APP);
        }
    }

    @Test
    void answers_to_an_allowed_origin_name_it_and_expose_the_headers_clients_read() {
        HttpResponse<String> accepted = send(server, "POST", execute(), HELLO_INPUT, "Origin", APP, "Authorization", key,
                "Content-Type", "application/json", "Idempotency-Key", "cors-1");
        assertThat(accepted.statusCode()).as(accepted.body()).isIn(200, 202);
        assertThat(header(accepted, "Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(header(accepted, "Access-Control-Expose-Headers"))
                .contains("Location", "Retry-After", "Idempotent-Replayed");

        long task = dev.weft.json.Json.read(accepted.body()).path("id").asLong();
        HttpResponse<String> polled = send(server, "GET", "/api/v1/task/" + task, null, "Origin", APP, "Authorization", key);
        assertThat(polled.statusCode()).isEqualTo(200);
        assertThat(header(polled, "Access-Control-Allow-Origin")).isEqualTo(APP);

        HttpResponse<String> unauthorised = send(server, "GET", "/api/v1/task/" + task, null, "Origin", APP);
        assertThat(unauthorised.statusCode()).as("the page can read why it was refused").isEqualTo(401);
        assertThat(header(unauthorised, "Access-Control-Allow-Origin")).isEqualTo(APP);
    }

    @Test
    void an_origin_not_listed_gets_no_cors_headers() {
        for (String origin : new String[] {"http://evil.example.test", "http://app.example.test:5174",
                "https://app.example.test:5173", "null"}) {
            HttpResponse<String> pre = preflight(server, execute(), origin, "POST");
            assertThat(header(pre, "Access-Control-Allow-Origin")).as(origin).isNull();
            assertThat(header(pre, "Access-Control-Allow-Methods")).as(origin).isNull();
            HttpResponse<String> get = send(server, "GET", "/api/v1/task/1", null, "Origin", origin, "Authorization", key);
            assertThat(header(get, "Access-Control-Allow-Origin")).as(origin).isNull();
        }
    }

    @Test
    void the_management_api_and_the_ui_stay_same_origin() {
        for (String path : new String[] {"/api/v1/flows", "/api/v1/keys", "/api/v1/tasks", "/api/v1/session", "/"}) {
            HttpResponse<String> pre = preflight(server, path, APP, "GET");
            assertThat(pre.statusCode()).as(path).isNotEqualTo(204);
            assertThat(header(pre, "Access-Control-Allow-Origin")).as(path).isNull();
        }
        HttpResponse<String> flows = send(server, "GET", "/api/v1/flows", null, "Origin", APP, "Authorization",
                TestServer.ADMIN_AUTH);
        assertThat(flows.statusCode()).isEqualTo(200);
        assertThat(header(flows, "Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void without_allowed_origins_there_are_no_cors_headers_at_all() {
        try (TestServer plain = TestServer.start()) {
            HttpResponse<String> pre = preflight(plain, "/api/v1/task/1", APP, "GET");
            assertThat(pre.statusCode()).isNotEqualTo(204);
            assertThat(pre.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
            HttpResponse<String> get = send(plain, "GET", "/api/v1/task/1", null, "Origin", APP,
                    "Authorization", TestServer.ADMIN_AUTH);
            assertThat(get.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-"));
        }
    }

    @Test
    void allowed_origins_are_read_from_the_environment_and_checked() {
        CorsConfig read = WeftConfig.read(WeftConfig.Flags.NONE,
                Map.of("WEFT_CORS_ORIGINS", " https://App.Example.com:443 , http://localhost:5173")).cors();
        assertThat(read.origins()).containsExactly("https://app.example.com", "http://localhost:5173");
        assertThat(read.allows("https://app.example.com")).isTrue();
        assertThat(read.allows("http://app.example.com")).isFalse();
        assertThat(WeftConfig.read(WeftConfig.Flags.NONE, Map.of()).cors().enabled()).isFalse();
        assertThat(CorsConfig.parse("*").allows("http://anything.example")).isTrue();

        for (String wrong : new String[] {"app.example.com", "https://app.example.com/", "https://app.example.com/path",
                "ftp://app.example.com", "https://user@app.example.com"}) {
            assertThatThrownBy(() -> WeftConfig.read(WeftConfig.Flags.NONE, Map.of("WEFT_CORS_ORIGINS", wrong)))
                    .as(wrong).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WEFT_CORS_ORIGINS")
                    .hasMessageContaining(wrong);
        }
    }
}
