package dev.weft.form;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import dev.weft.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hosted forms over real HTTP: managed with the admin token, used by visitors with no credential at all. */
class FormsApiTest {

    static final String FLOW = """
            {"name": "Greeter", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {
                "name": {"type": "string", "title": "Your name", "required": true, "x-order": 0},
                "count": {"type": "integer", "x-order": 1},
                "loud": {"type": "boolean", "x-order": 2},
                "color": {"type": "string", "enum": ["red", "green"], "x-order": 3},
                "extra": {"type": "object", "x-order": 4},
                "photo": {"type": "string", "format": "uri", "x-order": 5}}}},
              {"id": "greet", "type": "template", "settings": {"template": "Hello, {{start.name}} x{{start.count}}!"}},
              {"id": "end", "type": "end", "settings": {"outputs": {"greeting": {"type": "string"},
                "photo": {"type": "string"}, "extra": {"type": "object"}}}}],
             "edges": [
              {"from_node": "start", "to_node": "greet", "fields_mapping": [{"from_field": "name", "to_field": "name"}]},
              {"from_node": "greet", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "greeting"}]},
              {"from_node": "start", "to_node": "end", "fields_mapping": [{"from_field": "photo", "to_field": "photo"},
                {"from_field": "extra", "to_field": "extra"}]}]}""";

    static TestServer server;
    static long flowId;
    /** No cookies kept: each visitor below carries its cookie by hand. */
    static final HttpClient visitor = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        server = TestServer.start();
        flowId = server.publishFlow(FLOW);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String forms() {
        return "/api/v1/flows/" + flowId + "/forms";
    }

    static JsonNode create(String body) {
        TestServer.Answer made = server.post(forms(), body, TestServer.ADMIN_AUTH);
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        return made.json();
    }

    record Reply(int status, String body, HttpResponse<String> response) {
        JsonNode json() {
            return Json.read(body);
        }
    }

    static Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = visitor.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create(server.base() + path));
    }

    /** A multipart form of text parts and, when {@code file} is given, one file part named {@code photo}. */
    static HttpRequest.Builder submit(String path, Map<String, String> texts, byte[] file, String cookie) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String boundary = "FormBoundary42";
        texts.forEach((name, value) -> out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        if (file != null) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"dot.png\""
                    + "\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(file);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = at(path + "/submit").header("Content-Type", "multipart/form-data; boundary="
                + boundary).POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()));
        if (cookie != null) request.header("Cookie", cookie);
        return request;
    }

    static Map<String, String> texts(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) map.put(pairs[i], pairs[i + 1]);
        return map;
    }

    static JsonNode result(String resultUrl) {
        Reply done = send(at(resultUrl + "?wait=20").GET());
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().path("finished").asBoolean()).as(done.body()).isTrue();
        return done.json();
    }

    @Test
    void a_form_is_created_with_an_unguessable_link_and_listed_without_its_secrets() {
        JsonNode form = create("{\"title\": \"Say hello\", \"description\": \"We greet you.\"}");

        assertThat(form.path("token").asText()).matches("[A-Za-z0-9_-]{43}");
        assertThat(form.path("path").asText()).isEqualTo("/forms/" + form.path("token").asText());
        assertThat(form.path("url").asText()).isEqualTo(server.base() + form.path("path").asText());
        assertThat(form.path("password_set").asBoolean()).isFalse();
        assertThat(form.path("enabled").asBoolean()).isTrue();
        JsonNode listed = server.get(forms(), TestServer.ADMIN_AUTH).json().path("forms");
        assertThat(listed.findValuesAsText("id")).contains(form.path("id").asText());
        assertThat(listed.toString()).doesNotContain("cookie_key").doesNotContain("argon2id").doesNotContain("pbkdf2");
        assertThat(server.get(forms(), null).status()).as("the management API needs the admin").isEqualTo(401);
        assertThat(server.post(forms(), "{\"title\": 5}", TestServer.ADMIN_AUTH).json().path("errors").get(0)
                .path("field").asText()).isEqualTo("title");
    }

    @Test
    void a_visitor_sees_the_page_and_the_typed_fields_without_any_credential() {
        String path = create("{\"title\": \"Say <hello>\"}").path("path").asText();

        Reply page = send(at(path).GET());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<h1 data-test=\"form-title\">Say &lt;hello&gt;</h1>", "/form-page/form.js");
        assertThat(page.response().headers().firstValue("Referrer-Policy")).contains("no-referrer");
        JsonNode form = send(at(path + "/form.json").GET()).json();
        assertThat(form.path("locked").asBoolean()).isFalse();
        assertThat(form.path("fields").findValuesAsText("control"))
                .containsExactly("text", "number", "checkbox", "select", "json", "file");
        assertThat(form.path("fields").get(0).path("label").asText()).isEqualTo("Your name");
        assertThat(form.path("fields").get(3).path("choices").toString()).isEqualTo("[\"red\",\"green\"]");
        assertThat(send(at("/form-page/form.js").GET()).status()).isEqualTo(200);
    }

    @Test
    void a_submission_with_a_file_runs_the_flow_and_its_result_is_read_with_the_handle_only() {
        JsonNode form = create("{}");
        String path = form.path("path").asText();
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3};

        Reply sent = send(submit(path, texts("name", "Ada", "count", "3", "loud", "true", "color", "green",
                "extra", "{\"a\": [1]}"), png, null));

        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        String handle = sent.json().path("handle").asText();
        assertThat(handle).matches("[A-Za-z0-9_-]{43}");
        JsonNode done = result(sent.json().path("result_url").asText());
        assertThat(done.path("state").asText()).isEqualTo("completed");
        assertThat(done.path("result").path("greeting").asText()).isEqualTo("Hello, Ada x3!");
        assertThat(done.path("result").path("extra").toString()).isEqualTo("{\"a\":[1]}");
        String photo = done.path("result").path("photo").asText();
        assertThat(photo).startsWith(server.base() + "/api/v1/files/f");
        Reply file = send(at(photo.substring(server.base().length())).GET());
        assertThat(file.body().getBytes(StandardCharsets.ISO_8859_1)).hasSize(png.length);
        assertThat(send(at(path + "/results/" + handle.substring(1) + "x").GET()).status())
                .as("another handle reads nothing").isEqualTo(404);
        JsonNode task = server.get("/api/v1/tasks?limit=1", TestServer.ADMIN_AUTH).json();
        long taskId = task.path("tasks").get(0).path("id").asLong();
        JsonNode marked = server.get("/api/v1/task/" + taskId, TestServer.ADMIN_AUTH).json();
        assertThat(marked.path("trigger").toString())
                .isEqualTo("{\"kind\":\"form\",\"id\":" + form.path("id").asLong() + "}");
    }

    @Test
    void a_json_submission_names_a_stored_file_by_its_id_and_an_unknown_id_is_a_400_naming_the_field() {
        String path = create("{}").path("path").asText();
        TestServer.Answer uploaded = server.send("POST", "/api/v1/files?filename=a.txt", "hello", "text/plain",
                TestServer.ADMIN_AUTH);
        String fileId = uploaded.json().path("id").asText();

        Reply sent = send(at(path + "/submit").header("Content-Type", "application/json").POST(
                HttpRequest.BodyPublishers.ofString("{\"name\": \"Jo\", \"photo\": \"" + fileId + "\"}")));
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        assertThat(result(sent.json().path("result_url").asText()).path("result").path("photo").asText())
                .isEqualTo(server.base() + "/api/v1/files/" + fileId);

        Reply unknown = send(at(path + "/submit").header("Content-Type", "application/json").POST(
                HttpRequest.BodyPublishers.ofString("{\"name\": \"Jo\", \"photo\": \"f" + "a".repeat(26) + "\"}")));
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
        assertThat(unknown.json().path("errors").findValuesAsText("field")).containsExactly("photo");
    }

    @Test
    void missing_and_invalid_fields_are_a_400_naming_each_field_and_nothing_starts() {
        String path = create("{}").path("path").asText();
        long before = taskCount();

        Reply missing = send(submit(path, texts("count", "three", "color", "blue", "extra", "{oops"),
                new byte[] {1, 2}, null));

        assertThat(missing.status()).as(missing.body()).isEqualTo(400);
        assertThat(missing.response().headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(missing.json().path("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("name", "count", "color", "extra");
        assertThat(missing.json().path("errors").toString()).contains("is required", "must be one of red, green",
                "must be valid JSON");
        assertThat(taskCount()).as("nothing started").isEqualTo(before);
    }

    @Test
    void a_locked_form_opens_only_with_its_password_and_only_for_that_form() {
        JsonNode form = create("{\"password\": \"correct horse\"}");
        String path = form.path("path").asText();
        assertThat(form.path("password_set").asBoolean()).isTrue();

        assertThat(send(at(path + "/form.json").GET()).json().path("locked").asBoolean()).isTrue();
        assertThat(send(at(path + "/form.json").GET()).json().has("fields")).isFalse();
        assertThat(send(submit(path, texts("name", "Eve"), null, null)).status()).isEqualTo(401);
        Reply wrong = send(at(path + "/unlock").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\": \"wrong horse\"}")));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("errors").get(0).path("field").asText()).isEqualTo("password");
        assertThat(wrong.response().headers().firstValue("Set-Cookie")).isEmpty();

        Reply right = send(at(path + "/unlock").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\": \"correct horse\"}")));
        assertThat(right.status()).isEqualTo(204);
        String setCookie = right.response().headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly", "SameSite=Strict", "Path=" + path);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        Reply sent = send(submit(path, texts("name", "Eve"), null, cookie));
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        assertThat(result(sent.json().path("result_url").asText()).path("result").path("greeting").asText())
                .startsWith("Hello, Eve");

        String other = create("{\"password\": \"correct horse\"}").path("path").asText();
        assertThat(send(submit(other, texts("name", "Eve"), null, cookie)).status())
                .as("a cookie opens its own form only").isEqualTo(401);
        server.send("PATCH", forms() + "/" + form.path("id").asLong(), "{\"password\": \"another one\"}",
                "application/json", TestServer.ADMIN_AUTH);
        assertThat(send(submit(path, texts("name", "Eve"), null, cookie)).status())
                .as("a new password locks the form again").isEqualTo(401);
    }

    @Test
    void wrong_passwords_are_rate_limited_even_before_the_right_one() {
        String path = create("{\"password\": \"correct horse\"}").path("path").asText();
        for (int i = 0; i < FormLimits.UNLOCK_BURST; i++) {
            assertThat(send(at(path + "/unlock").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"password\": \"guess" + i + "\"}"))).status())
                    .isEqualTo(401);
        }

        Reply limited = send(at(path + "/unlock").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\": \"correct horse\"}")));

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.response().headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void a_revoked_a_disabled_and_a_rotated_link_answer_404_like_an_unknown_one() {
        JsonNode form = create("{}");
        String item = forms() + "/" + form.path("id").asLong();
        String path = form.path("path").asText();
        assertThat(send(at("/forms/" + "x".repeat(43)).GET()).status()).isEqualTo(404);

        server.send("PATCH", item, "{\"enabled\": false}", "application/json", TestServer.ADMIN_AUTH);
        assertThat(send(at(path).GET()).status()).isEqualTo(404);
        assertThat(send(submit(path, texts("name", "Bo"), null, null)).status()).isEqualTo(404);
        server.send("PATCH", item, "{\"enabled\": true}", "application/json", TestServer.ADMIN_AUTH);
        assertThat(send(at(path).GET()).status()).isEqualTo(200);

        JsonNode rotated = server.post(item + "/rotate", null, TestServer.ADMIN_AUTH).json();
        assertThat(rotated.path("token").asText()).isNotEqualTo(form.path("token").asText());
        assertThat(send(at(path + "/form.json").GET()).status()).isEqualTo(404);
        assertThat(send(at(rotated.path("path").asText() + "/form.json").GET()).status()).isEqualTo(200);

        assertThat(server.send("DELETE", item, null, null, TestServer.ADMIN_AUTH).status()).isEqualTo(204);
        assertThat(send(at(rotated.path("path").asText()).GET()).status()).isEqualTo(404);
        assertThat(server.get(item, TestServer.ADMIN_AUTH).status()).isEqualTo(404);
    }

    static long taskCount() {
        return server.get("/api/v1/tasks?limit=100", TestServer.ADMIN_AUTH).json().path("tasks").size();
    }
}
