package dev.weft.team;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import dev.weft.auth.SessionFilter;
import dev.weft.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Signed-in browsers for API tests: the first owner, members invited with a role, and requests with their cookie. */
final class Browsers {

    static final String PASSWORD = "correct horse battery";
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A signed-in browser: its session cookie ({@code name=value}) and CSRF token. */
    record Signed(String email, long userId, String cookie, String csrf) {}

    /** An HTTP answer with the headers a session test reads. */
    record Reply(int status, String body, String setCookie) {
        JsonNode json() {
            return body.isEmpty() ? Json.object() : Json.read(body);
        }
    }

    private Browsers() {}

    static Signed firstOwner(TestServer server, String email) {
        Reply reply = send(server, "POST", "/api/v1/session/setup",
                Json.object().put("email", email).put("password", PASSWORD).toString(), null, null);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return signed(email, reply);
    }

    /** Invites a member with {@code role} (as {@code owner}), accepts the link, and returns the new member's browser. */
    static Signed member(TestServer server, Signed owner, String email, String role) {
        Reply invite = send(server, "POST", "/api/v1/invitations", Json.object().put("role", role).toString(), owner);
        assertThat(invite.status()).as(invite.body()).isEqualTo(201);
        String token = invite.json().path("token").asText();
        Reply accept = send(server, "POST", "/api/v1/invitations/" + token + "/accept",
                Json.object().put("email", email).put("password", PASSWORD).toString(), null);
        assertThat(accept.status()).as(accept.body()).isEqualTo(201);
        return signed(email, accept);
    }

    static Reply signIn(TestServer server, String email, String password) {
        return send(server, "POST", "/api/v1/session", Json.object().put("email", email).put("password", password).toString(),
                null, null);
    }

    static Signed signed(String email, Reply reply) {
        String cookie = reply.setCookie().substring(0, reply.setCookie().indexOf(';'));
        return new Signed(email, reply.json().path("user").path("id").asLong(), cookie,
                reply.json().path("csrf_token").asText());
    }

    static Reply send(TestServer server, String method, String path, String body, Signed as) {
        return as == null ? send(server, method, path, body, null, null)
                : send(server, method, path, body, as.cookie(), as.csrf());
    }

    static Reply send(TestServer server, String method, String path, String body, String cookie, String csrf) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.base() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) request.header("Content-Type", "application/json");
        if (cookie != null) request.header("Cookie", cookie);
        if (csrf != null) request.header(SessionFilter.CSRF_HEADER, csrf);
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(),
                    response.headers().firstValue("Set-Cookie").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
