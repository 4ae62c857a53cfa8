package dev.weft.builtin;

import static dev.weft.builtin.Calls.call;
import static dev.weft.builtin.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.Credentials;
import dev.weft.node.NodeException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Typed credentials where nodes use them: a basic or headers credential says itself how the http node sends it. */
class HttpCredentialTypesTest {

    private static final Credentials VAULT = name -> switch (name) {
        case "login" -> Optional.of(new Credentials.Credential("ada:pa55", List.of(), Credentials.Type.BASIC));
        case "tenant" -> Optional.of(new Credentials.Credential("X-Api-Key: k-123\nX-Tenant: acme\n", List.of(),
                Credentials.Type.HEADERS));
        case "token" -> Optional.of(new Credentials.Credential("t0ken", List.of(), Credentials.Type.BEARER));
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
    void a_basic_credential_is_sent_as_basic_whatever_the_auth_type_says() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).build());
        server.enqueue(new MockResponse.Builder().code(200).build());

        node.run(call(settings("{'credential': 'login'}"), Json.object()));
        node.run(call(settings("{'type': 'bearer', 'credential': 'token'}"), Json.object()));

        assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Basic YWRhOnBhNTU=");
        assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer t0ken");
    }

    @Test
    void a_headers_credential_sends_each_header_and_none_follows_a_redirect_elsewhere() throws Exception {
        try (MockWebServer other = new MockWebServer()) {
            other.start(InetAddress.getByName("127.0.0.1"), 0);
            server.enqueue(new MockResponse.Builder().code(302)
                    .addHeader("Location", "http://127.0.0.1:" + other.getPort() + "/elsewhere").build());
            other.enqueue(new MockResponse.Builder().code(200).body("ok").build());

            node.run(call(settings("{'credential': 'tenant'}"), Json.object()));

            RecordedRequest first = server.takeRequest();
            assertThat(first.getHeaders().get("X-Api-Key")).isEqualTo("k-123");
            assertThat(first.getHeaders().get("X-Tenant")).isEqualTo("acme");
            assertThat(first.getHeaders().get("Authorization")).isNull();
            RecordedRequest second = other.takeRequest();
            assertThat(second.getHeaders().get("X-Api-Key")).isNull();
            assertThat(second.getHeaders().get("X-Tenant")).isNull();
        }
    }

    @Test
    void a_setting_that_needs_a_key_refuses_a_basic_or_headers_credential_by_name() {
        URI target = URI.create("https://api.openai.com/v1");

        assertThat(StoredSecrets.secretFor(VAULT, "token", target, "credential")).isEqualTo("t0ken");
        assertThatThrownBy(() -> StoredSecrets.secretFor(VAULT, "tenant", target, "credential"))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo(StoredSecrets.WRONG_TYPE);
                    assertThat(e.getMessage()).contains("settings.credential: credential 'tenant' is a headers"
                            + " credential; this setting needs an api_key or bearer credential");
                });
    }
}
