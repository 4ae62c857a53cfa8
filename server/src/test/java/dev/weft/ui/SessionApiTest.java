package dev.weft.ui;

import dev.weft.auth.AdminPassword;
import dev.weft.auth.SessionFilter;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import dev.weft.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Sign-in for the web UI against a real server: first visit, sessions, CSRF, sign out, the UI's files. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionApiTest {

    static final String PASSWORD = "correct horse battery";
    static TestServer server;
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Reply(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            return Json.read(body);
        }
    }

    static Reply send(String method, String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) request.header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(), response);
    }

    static String cookieOf(Reply reply) {
        String header = reply.raw().headers().firstValue("Set-Cookie").orElseThrow();
        return header.substring(0, header.indexOf(';'));
    }

    @Test
    @Order(1)
    void first_visit_sets_the_password_once_and_signs_in() throws Exception {
        JsonNode before = send("GET", "/api/v1/session", null).json();
        assertThat(before.path("signed_in").asBoolean()).isFalse();
        assertThat(before.path("password_set").asBoolean()).isFalse();
        assertThat(before.path("setup_needs_admin_token").asBoolean()).isFalse();   // the test calls from loopback

        Reply tooShort = send("POST", "/api/v1/session/setup", "{\"password\": \"short\"}");
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(tooShort.body()).contains("\"field\":\"password\"", "at least 8");

        Reply setup = send("POST", "/api/v1/session/setup", "{\"password\": \"" + PASSWORD + "\"}");
        assertThat(setup.status()).isEqualTo(201);
        String setCookie = setup.raw().headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("weft_session=").contains("HttpOnly", "SameSite=Strict", "Path=/");
        assertThat(setup.json().path("csrf_token").asText()).hasSizeGreaterThan(20);

        Reply again = send("POST", "/api/v1/session/setup", "{\"password\": \"another password\"}");
        assertThat(again.status()).isEqualTo(409);
        // The first owner is a user in the database (Argon2id); no admin-password file is written any more.
        assertThat(server.dataDir().resolve(AdminPassword.FILE_NAME)).doesNotExist();
        assertThat(setup.json().path("user").path("email").asText()).isEqualTo("admin@localhost");
        assertThat(setup.json().path("user").path("role").asText()).isEqualTo("owner");
    }

    @Test
    @Order(2)
    void a_session_authorizes_the_api_and_changes_need_its_csrf_token() throws Exception {
        Reply wrong = send("POST", "/api/v1/session", "{\"password\": \"not it at all\"}");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.raw().headers().firstValue("Set-Cookie")).isEmpty();

        Reply signedIn = send("POST", "/api/v1/session", "{\"password\": \"" + PASSWORD + "\"}");
        assertThat(signedIn.status()).isEqualTo(201);
        String cookie = cookieOf(signedIn);
        String csrf = signedIn.json().path("csrf_token").asText();

        assertThat(send("GET", "/api/v1/flows", null).status()).isEqualTo(401);
        assertThat(send("GET", "/api/v1/flows", null, "Cookie", cookie).status()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/session", null, "Cookie", cookie).json().path("csrf_token").asText()).isEqualTo(csrf);

        String key = "{\"name\": \"from the UI\"}";
        assertThat(send("POST", "/api/v1/keys", key, "Cookie", cookie).status()).isEqualTo(401);
        assertThat(send("POST", "/api/v1/keys", key, "Cookie", cookie, SessionFilter.CSRF_HEADER, "guess").status()).isEqualTo(401);
        assertThat(send("POST", "/api/v1/keys", key, "Cookie", cookie, SessionFilter.CSRF_HEADER, csrf).status()).isEqualTo(201);

        // The admin token still works alone, and a wrong token is not rescued by a session cookie.
        assertThat(send("GET", "/api/v1/keys", null, "Authorization", TestServer.ADMIN_AUTH).status()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/keys", null, "Cookie", cookie, "Authorization", "Bearer wrong").status()).isEqualTo(401);

        Reply out = send("DELETE", "/api/v1/session", null, "Cookie", cookie, SessionFilter.CSRF_HEADER, csrf);
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.raw().headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(send("GET", "/api/v1/flows", null, "Cookie", cookie).status()).isEqualTo(401);
        assertThat(send("GET", "/api/v1/session", null, "Cookie", cookie).json().path("signed_in").asBoolean()).isFalse();
    }

    @Test
    @Order(3)
    void the_page_links_a_favicon_that_is_served_as_svg() throws Exception {
        Reply page = send("GET", "/", null);
        String href = page.body().replaceAll("(?s).*<link rel=\"icon\"[^>]*href=\"([^\"]+)\".*", "$1");
        assertThat(href).isEqualTo("/favicon.svg");
        Reply icon = send("GET", href, null);
        assertThat(icon.status()).isEqualTo(200);
        assertThat(icon.raw().headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
        assertThat(icon.body()).startsWith("<svg").contains("</svg>");
        Reply old = send("GET", "/favicon.ico", null);
        assertThat(old.status()).isEqualTo(301);
        assertThat(old.raw().headers().firstValue("Location")).hasValue("/favicon.svg");
    }

    @Test
    @Order(3)
    void the_ui_is_served_at_the_root_and_unknown_api_paths_stay_problems() throws Exception {
        Reply page = send("GET", "/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<div id=\"root\"></div>");
        assertThat(page.raw().headers().firstValue("Cache-Control")).hasValue("no-cache");
        String asset = page.body().replaceAll("(?s).*src=\"(/assets/[^\"]+\\.js)\".*", "$1");
        Reply script = send("GET", asset, null, "Accept-Encoding", "identity");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.raw().headers().firstValue("Cache-Control").orElse("")).contains("immutable");
        assertThat(script.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        String etag = script.raw().headers().firstValue("ETag").orElseThrow();
        Reply again = send("GET", asset, null, "If-None-Match", etag);
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(send("GET", "/assets/nothing-here.js", null).status()).isEqualTo(404);
        assertThat(send("GET", "/assets/..%2F..%2Fapi%2Fopenapi.json", null).status()).isIn(400, 404);

        Reply missing = send("GET", "/api/v1/nothing-here", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    @Test
    void passwords_are_checked_against_their_pbkdf2_hash() {
        AdminPassword password = AdminPassword.load(server.dataDir().resolve("other"), 1_000);
        assertThat(password.isSet()).isFalse();
        assertThat(password.matches("anything")).isFalse();
        assertThat(password.setFirst("s3cret-enough")).isTrue();
        assertThat(password.matches("s3cret-enough")).isTrue();
        assertThat(password.matches("s3cret-enougH")).isFalse();
        assertThat(password.setFirst("replaced")).isFalse();
        assertThat(AdminPassword.load(server.dataDir().resolve("other"), 1_000).matches("s3cret-enough")).isTrue();
    }
}
