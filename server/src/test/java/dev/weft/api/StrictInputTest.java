package dev.weft.api;

import dev.weft.http.ProblemMapper;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Strict JSON and inputs through real HTTP: trailing content, invalid UTF-8, numbers beyond a double, content
 * types, schema keywords, boolean query parameters, and the HTTP layer's own refusals, each a 4xx in
 * problem+json that changes nothing stored. Raw sockets send the bytes an HTTP client would normalise or refuse.
 */
class StrictInputTest {

    static final String ADMIN = TestServer.ADMIN_AUTH;
    static final String HELLO = TestServer.example("hello.json");
    static TestServer server;
    static long flowId;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        flowId = server.publishFlow(HELLO);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** What is stored: the flows listing and the tasks listing, compared whole before and after a refusal. */
    private static String stored() {
        return server.get("/api/v1/flows", ADMIN).text() + server.get("/api/v1/tasks?limit=" + dev.weft.store.JdbcTaskList.LIMIT_MAX, ADMIN).text()
                + server.get("/api/v1/flows/" + flowId + "/versions", ADMIN).text();
    }

    private static JsonNode refused(TestServer.Answer answer, int status, String field) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.contentType()).isEqualTo(ProblemMapper.CONTENT_TYPE);
        JsonNode problem = answer.json();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        if (field != null) assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo(field);
        return problem;
    }

    private static TestServer.Answer postBytes(String path, byte[] body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.base() + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Authorization", ADMIN);
        if (contentType != null) request.header("Content-Type", contentType);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new TestServer.Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String execute() {
        return "/api/v1/scade/flow/" + flowId + "/execute";
    }

    @Test
    void a_body_followed_by_more_text_is_refused_naming_the_body() {
        String before = stored();

        refused(server.post("/api/v1/flows", HELLO + " garbage", ADMIN), 400, "body");
        refused(server.post("/api/v1/flows", "{}{}", ADMIN), 400, "body");
        refused(server.post(execute(), "{} {\"node_settings\": {}}", ADMIN), 400, "body");
        refused(server.post(execute(), "{}]", ADMIN), 400, "body");

        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void invalid_utf8_overlong_forms_and_lone_surrogates_are_refused() {
        String before = stored();
        byte[] overlong = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        byte[] encodedSurrogate = {'{', '"', 'n', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
        byte[] stray = {'{', '"', 'n', '"', ':', '"', (byte) 0xFF, '"', '}'};

        JsonNode problem = refused(postBytes("/api/v1/flows", overlong, "application/json"), 400, "body");
        assertThat(problem.path("detail").asText()).isEqualTo(
                "the body is not valid UTF-8 (byte 9 starts an invalid, overlong or surrogate sequence)");
        refused(postBytes(execute(), encodedSurrogate, "application/json"), 400, "body");
        refused(postBytes(execute(), stray, "application/json"), 400, "body");
        refused(server.post(execute(), "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"a\\ud800b\"}}}}", ADMIN),
                400, "node_settings.start.data.name");

        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void a_number_beyond_the_range_of_a_double_is_refused_naming_its_path() {
        String before = stored();

        JsonNode problem = refused(server.post(execute(),
                "{\"node_settings\": {\"start\": {\"data\": {\"name\": 1e400}}}}", ADMIN), 400,
                "node_settings.start.data.name");
        assertThat(problem.path("errors").get(0).path("message").asText())
                .isEqualTo("the number is outside the range of a double (about ±1.8e308)");
        refused(server.post(execute(), "{\"items\": [1, -1" + "0".repeat(400) + "]}", ADMIN), 400, "items[1]");

        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void only_json_media_types_are_read_as_json() {
        String before = stored();

        refused(server.send("POST", "/api/v1/flows", HELLO, "application/jsonx", ADMIN), 415, "Content-Type");
        refused(server.send("POST", "/api/v1/flows", HELLO, "text/plain", ADMIN), 415, "Content-Type");
        refused(server.send("POST", "/api/v1/flows", HELLO, "application/json; charset=iso-8859-1", ADMIN), 415,
                "Content-Type");
        refused(server.send("POST", "/api/v1/flows", HELLO, null, ADMIN), 415, "Content-Type");
        refused(server.send("POST", execute(), "{}", "application/x-www-form-urlencoded", ADMIN), 415, "Content-Type");
        assertThat(stored()).isEqualTo(before);

        assertThat(server.send("POST", "/api/v1/flows", HELLO, "Application/JSON; charset=UTF-8", ADMIN).status())
                .isEqualTo(201);
        assertThat(server.send("POST", "/api/v1/flows", HELLO, "application/vnd.weft.flow+json", ADMIN).status())
                .isEqualTo(201);
    }

    @Test
    void the_scade_execute_endpoint_reads_a_body_without_content_type_as_json() {
        TestServer.Answer answer = server.send("POST", execute(),
                "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Ada\"}}}}", null, ADMIN);

        assertThat(answer.status()).as(answer.text()).isIn(200, 202);
        JsonNode task = server.awaitTask(answer.json().path("id").asLong(), ADMIN, Duration.ofSeconds(30));
        assertThat(task.path("result").path("greeting").asText()).contains("Ada");
    }

    @Test
    void schema_keywords_of_start_inputs_are_type_checked_at_save() {
        String before = stored();
        String document = """
                {"name": "typed", "nodes": [
                  {"id": "s", "type": "start", "settings": {"inputs": {"x": {"type": "string", "required": "yes"}}}},
                  {"id": "e", "type": "end", "settings": {"outputs": {"y": {"type": "string"}}}}],
                 "edges": [{"from_node": "s", "to_node": "e", "fields_mapping": [{"from_field": "x", "to_field": "y"}]}]}""";

        JsonNode problem = refused(server.post("/api/v1/flows", document, ADMIN), 400, "nodes[0].settings.inputs.x.required");
        assertThat(problem.path("errors").get(0).path("message").asText()).isEqualTo("must be true or false (got a string)");

        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void boolean_query_parameters_take_only_true_or_false() {
        JsonNode problem = refused(server.get("/api/v1/tasks?latest_per_flow=maybe", ADMIN), 400, "latest_per_flow");
        assertThat(problem.path("errors").get(0).path("message").asText()).isEqualTo("must be true or false (got 'maybe')");
        refused(server.get("/api/v1/tasks?latest_per_flow=1", ADMIN), 400, "latest_per_flow");

        assertThat(server.get("/api/v1/tasks?latest_per_flow=true", ADMIN).status()).isEqualTo(200);
        assertThat(server.get("/api/v1/tasks?latest_per_flow=false", ADMIN).status()).isEqualTo(200);
    }

    @Test
    void what_the_http_layer_refuses_is_answered_as_problem_json() {
        String before = stored();
        String auth = "Authorization: " + ADMIN + "\r\n";

        assertProblem(raw("GET /api/v1/flows/%00 HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n"), 400);
        assertProblem(raw("GET /api/v1/flows/%ff HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n"), 400);
        assertProblem(raw("POST " + execute() + " HTTP/1.1\r\nHost: x\r\n" + auth + "Idempotency-Key: a\u0001b\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"), 400);
        assertProblem(raw("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 414);
        assertProblem(raw("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n"), 431);
        assertProblem(raw("GET /health HTTP/7.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 505);

        assertThat(stored()).isEqualTo(before);
    }

    private static void assertProblem(String response, int status) {
        assertThat(response).as(response).startsWith("HTTP/1.1 " + status + " ");
        String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase();
        assertThat(head).as(response).contains("content-type: " + ProblemMapper.CONTENT_TYPE);
        JsonNode body = Json.read(response.substring(response.indexOf("\r\n\r\n") + 4));
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("type").asText()).startsWith(ProblemMapper.TYPE_PREFIX);
        assertThat(body.path("detail").asText()).startsWith("the HTTP request was refused");
    }

    /** Sends {@code request} byte for byte (ISO-8859-1) and reads the answer until the server closes. */
    static String raw(String request) {
        URI base = URI.create(server.base());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
