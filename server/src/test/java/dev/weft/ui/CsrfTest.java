package dev.weft.ui;

import dev.weft.auth.SessionFilter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import dev.weft.server.RawHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every route that changes something refuses a request that carries only the session cookie (no CSRF token),
 * whatever method-override header or {@code _method} parameter comes with it, and nothing stored changes.
 */
class CsrfTest {

    static final String PASSWORD = "correct horse battery";
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    /**
     * Routes anyone may call without credentials: signing in, the first owner, accepting an invitation, a hosted
     * form's public side (no session at all; its unlock cookie is SameSite=Strict) and a webhook (its token, in the
     * path, is its credential; a cookie grants it nothing, and an unknown token is a 404).
     */
    static final Set<String> OPEN = Set.of("POST /api/v1/session", "POST /api/v1/session/setup",
            "POST /api/v1/invitations/{token}/accept", "POST /forms/{token}/unlock", "POST /forms/{token}/submit",
            "POST /hooks/{token}");

    static TestServer server;
    static String cookie;
    static String csrf;
    static long flow;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        TestServer.Answer setup = server.post("/api/v1/session/setup", "{\"password\": \"" + PASSWORD + "\"}", null);
        assertThat(setup.status()).isEqualTo(201);
        String setCookie = setup.header("Set-Cookie");
        cookie = setCookie.substring(0, setCookie.indexOf(';'));
        csrf = setup.json().path("csrf_token").asText();
        flow = server.publishFlow(TestServer.example("hello.json"));
        server.newKeyAuth("existing");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** What a cookie-only request could change: flows, keys, credentials and tasks, as the admin sees them. */
    static List<String> stored() {
        List<String> state = new ArrayList<>();
        for (String path : List.of("/api/v1/flows", "/api/v1/flows/" + flow, "/api/v1/keys", "/api/v1/credentials",
                "/api/v1/tasks")) {
            TestServer.Answer answer = server.get(path, TestServer.ADMIN_AUTH);
            state.add(path + " " + answer.status() + " " + answer.text().replaceAll("\"last_used_at\":\"[^\"]*\"", ""));
        }
        return state;
    }

    static RawHttp.Reply send(String method, String path, String contentType, String body, String... headers) {
        List<String> lines = new ArrayList<>(List.of("Cookie: " + cookie));
        lines.addAll(List.of(headers));
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        if (bytes != null) {
            lines.add("Content-Type: " + contentType);
            lines.add("Content-Length: " + bytes.length);
        }
        return RawHttp.exchange("127.0.0.1", server.port(),
                RawHttp.head(method, path, lines.toArray(String[]::new)), bytes, TIMEOUT);
    }

    static String concrete(String path) {
        return path.replaceAll("\\{[^}]+}|<[^>]+>", String.valueOf(flow));
    }

    @Test
    void no_method_header_or_parameter_lets_a_cookie_only_request_change_anything() {
        List<String> changing = server.routes().stream()
                .filter(route -> !SAFE.contains(route.substring(0, route.indexOf(' '))))
                .filter(route -> !OPEN.contains(route))
                .toList();
        assertThat(changing).contains("DELETE /api/v1/flows/{flow_id}", "POST /api/v1/keys");
        List<String> before = stored();
        List<String> wrong = new ArrayList<>();
        for (String route : changing) {
            String method = route.substring(0, route.indexOf(' '));
            String path = concrete(route.substring(route.indexOf(' ') + 1));
            expectRefused(wrong, route, send(method, path, "application/json", "{}"));
            for (String carrier : List.of("GET", "POST")) {
                for (String header : List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override")) {
                    RawHttp.Reply reply = send(carrier, path, "application/json", "{}", header + ": " + method);
                    expectTreatedAs(wrong, route + " as " + carrier + " with " + header, carrier, path, reply);
                }
                String query = path + (path.contains("?") ? "&" : "?") + "_method=" + method;
                expectTreatedAs(wrong, route + " as " + carrier + " with ?_method", carrier, path,
                        send(carrier, query, "application/json", "{}"));
                expectTreatedAs(wrong, route + " as " + carrier + " with a _method form field", carrier, path,
                        send(carrier, path, "application/x-www-form-urlencoded", "_method=" + method));
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(stored()).isEqualTo(before);
    }

    /** A state-changing route without the CSRF token: 401 or 403. */
    private static void expectRefused(List<String> wrong, String what, RawHttp.Reply reply) {
        if (reply.status() != 401 && reply.status() != 403) wrong.add(what + " answered " + reply.status());
    }

    /**
     * A request whose real method is {@code carrier}: refused when the carrier itself changes something on that
     * path; otherwise answered as what it really is (a read, or a refusal such as 401, 404 or 405), never a 5xx
     * and never a success of a method that changes something.
     */
    private void expectTreatedAs(List<String> wrong, String what, String carrier, String path, RawHttp.Reply reply) {
        String pattern = server.routes().stream()
                .filter(route -> route.startsWith(carrier + " ") && concrete(route.substring(route.indexOf(' ') + 1)).equals(path))
                .findFirst().orElse(null);
        if (pattern != null && !SAFE.contains(carrier) && !OPEN.contains(pattern)) {
            expectRefused(wrong, what, reply);
        } else if (reply.status() >= 500 || reply.status() < 0
                || (reply.status() >= 200 && reply.status() < 300 && !SAFE.contains(carrier))) {
            wrong.add(what + " answered " + reply.status() + " " + reply.body());
        }
    }

    @Test
    void with_the_csrf_token_the_same_cookie_changes_things() {
        int keys = server.get("/api/v1/keys", TestServer.ADMIN_AUTH).json().path("keys").size();
        RawHttp.Reply created = send("POST", "/api/v1/keys", "application/json", "{\"name\": \"from the UI\"}",
                SessionFilter.CSRF_HEADER + ": " + csrf);
        assertThat(created.status()).isEqualTo(201);
        assertThat(server.get("/api/v1/keys", TestServer.ADMIN_AUTH).json().path("keys").size()).isEqualTo(keys + 1);

        long doomed = server.publishFlow(TestServer.example("hello.json"));
        assertThat(send("GET", "/api/v1/flows/" + doomed, null, null, "X-HTTP-Method-Override: DELETE").status())
                .isEqualTo(200);
        assertThat(server.get("/api/v1/flows/" + doomed, TestServer.ADMIN_AUTH).status()).isEqualTo(200);
        RawHttp.Reply deleted = send("DELETE", "/api/v1/flows/" + doomed, null, null, SessionFilter.CSRF_HEADER + ": " + csrf);
        assertThat(deleted.status()).isBetween(200, 204);
        assertThat(server.get("/api/v1/flows/" + doomed, TestServer.ADMIN_AUTH).status()).isEqualTo(404);
    }
}
