package dev.weft.builtin;

import static dev.weft.builtin.Calls.call;
import static dev.weft.builtin.Calls.json;
import static dev.weft.builtin.Calls.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.Credentials;
import dev.weft.node.NodeException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The http node's {@code auth}: a stored credential sent as a header, and only to the origin it was set for. */
class HttpAuthTest {

    private static final Credentials VAULT = name -> switch (name) {
        case "token" -> Optional.of(new Credentials.Credential("t0ken", List.of()));
        case "login" -> Optional.of(new Credentials.Credential("ada:pa55", List.of("127.0.0.1")));
        case "elsewhere" -> Optional.of(new Credentials.Credential("t0ken", List.of("*.example.com")));
        default -> Optional.empty();
    };

    private final MockWebServer server = new MockWebServer();
    private final HttpNode node = new HttpNode(new HttpNode.Options(true, 1024, 5), VAULT);

    @BeforeEach
    void start() throws Exception {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ObjectNode settings(String auth) {
        ObjectNode settings = json("{'auth': " + auth + "}");
        settings.put("url", "http://127.0.0.1:" + server.getPort() + "/items");
        return settings;
    }

    @Test
    void each_kind_of_auth_sends_the_stored_secret() throws Exception {
        for (int i = 0; i < 3; i++) server.enqueue(new MockResponse.Builder().code(200).build());

        node.run(call(settings("{'credential': 'token'}"), Json.object()));
        node.run(call(settings("{'type': 'basic', 'credential': 'login'}"), Json.object()));
        node.run(call(settings("{'type': 'header', 'header': 'X-Api-Key', 'credential': 'token'}"), Json.object()));

        assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer t0ken");
        assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Basic YWRhOnBhNTU=");
        assertThat(server.takeRequest().getHeaders().get("X-Api-Key")).isEqualTo("t0ken");
    }

    @Test
    void a_redirect_to_another_origin_does_not_carry_the_secret() throws Exception {
        try (MockWebServer other = new MockWebServer()) {
            other.start(InetAddress.getByName("127.0.0.1"), 0);
            redirectsTo(other);
        }
    }

    private void redirectsTo(MockWebServer other) throws Exception {
        server.enqueue(new MockResponse.Builder().code(302)
                .addHeader("Location", "http://127.0.0.1:" + other.getPort() + "/elsewhere").build());
        other.enqueue(new MockResponse.Builder().code(200).body("ok").build());

        node.run(call(settings("{'type': 'header', 'header': 'X-Api-Key', 'credential': 'token'}"), Json.object()));

        assertThat(server.takeRequest().getHeaders().get("X-Api-Key")).isEqualTo("t0ken");
        assertThat(other.takeRequest().getHeaders().get("X-Api-Key")).isNull();
    }

    @Test
    void a_credential_that_is_not_stored_fails_before_any_request() {
        assertThatThrownBy(() -> node.run(call(settings("{'credential': 'nope'}"), Json.object())))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo("credential_missing");
                    assertThat(e.retryable()).isFalse();
                });
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void a_credential_bound_to_other_hosts_is_not_sent() {
        assertThatThrownBy(() -> node.run(call(settings("{'credential': 'elsewhere'}"), Json.object())))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo("credential_refused");
                    assertThat(e.getMessage()).isEqualTo("settings.auth.credential: credential 'elsewhere' may be sent"
                            + " only to *.example.com, not to 127.0.0.1");
                });
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void auth_problems_are_named_by_path() {
        assertThat(problems(node, "{'url': 'https://example.com', 'auth': {'type': 'digest'}}")).containsExactly(
                "auth.type: must be one of bearer, basic, header (got \"digest\")", "auth.credential: is required");
        assertThat(problems(node, "{'url': 'https://example.com', 'auth': {'type': 'header', 'credential': 'c'}}"))
                .containsExactly("auth.header: is required");
        assertThat(problems(node, "{'url': 'https://example.com', 'auth': 'token'}"))
                .containsExactly("auth: must be an object with a credential (got text)");
    }
}
