package dev.weft.builtin;

import static dev.weft.builtin.Calls.call;
import static dev.weft.builtin.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the http node's client (Jetty's, {@link JettyExchange}) keeps of the JDK client's manners. */
class HttpNodeClientTest {

    private final MockWebServer server = new MockWebServer();
    private final HttpNode node = new HttpNode(new HttpNode.Options(true, 64 * 1024, 5));

    @BeforeEach
    void start() throws Exception {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ObjectNode get(String path, String more) {
        return json("{'url': 'http://127.0.0.1:" + server.getPort() + path + "'" + more + "}");
    }

    @Test
    void calls_to_one_origin_one_after_another_share_a_kept_alive_connection() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("one").build());
        server.enqueue(new MockResponse.Builder().code(200).body("two").build());

        node.run(call(get("/a", ""), Json.object()));
        node.run(call(get("/b", ""), Json.object()));

        RecordedRequest first = server.takeRequest();
        RecordedRequest second = server.takeRequest();
        assertThat(second.getConnectionIndex()).isEqualTo(first.getConnectionIndex());
        assertThat(second.getExchangeIndex()).isEqualTo(first.getExchangeIndex() + 1);
    }

    @Test
    void a_get_whose_kept_alive_connection_the_upstream_closed_is_sent_again_on_a_connection_of_its_own() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("one").build());
        // the second request comes on the kept-alive connection: read, then the connection closes without an answer
        server.enqueue(closesWithoutAnswer());
        server.enqueue(new MockResponse.Builder().code(200).body("two").build());
        server.enqueue(new MockResponse.Builder().code(200).body("three").build());

        node.run(call(get("/a", ", 'response': 'text'"), Json.object()));
        NodeOutput second = node.run(call(get("/b", ", 'response': 'text'"), Json.object()));
        node.run(call(get("/c", ", 'response': 'text'"), Json.object()));

        assertThat(second.data().get("body").asText()).isEqualTo("two");
        RecordedRequest first = server.takeRequest();
        RecordedRequest lost = server.takeRequest();
        RecordedRequest again = server.takeRequest();
        RecordedRequest next = server.takeRequest();
        assertThat(lost.getConnectionIndex()).isEqualTo(first.getConnectionIndex());
        assertThat(again.getUrl().encodedPath()).isEqualTo("/b");
        assertThat(again.getConnectionIndex()).isNotEqualTo(lost.getConnectionIndex());
        assertThat(again.getHeaders().get("Connection")).isEqualTo("close");
        // the connection opened for the resend served it alone; later calls go through the pool as before
        assertThat(next.getConnectionIndex()).isNotEqualTo(again.getConnectionIndex());
        assertThat(next.getHeaders().get("Connection")).isNull();
    }

    @Test
    void a_get_is_sent_at_most_twice_when_its_new_connection_closes_before_an_answer_too() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("one").build());
        for (int i = 0; i < 3; i++) server.enqueue(closesWithoutAnswer());

        node.run(call(get("/a", ""), Json.object()));
        assertThatThrownBy(() -> node.run(call(get("/b", ""), Json.object())))
                .isInstanceOfSatisfying(NodeException.class,
                        e -> assertThat(e.getMessage()).contains("closed the connection before answering"));

        assertThat(server.getRequestCount()).isEqualTo(1 + 2);
    }

    private static MockResponse closesWithoutAnswer() {
        return new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build();
    }

    @Test
    void a_post_whose_connection_closed_before_an_answer_fails_and_is_not_sent_twice() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).body("one").build());
        server.enqueue(closesWithoutAnswer());
        server.enqueue(new MockResponse.Builder().code(200).body("never").build());

        node.run(call(get("/a", ""), Json.object()));
        assertThatThrownBy(() -> node.run(call(get("/order", ", 'method': 'POST', 'body': {'n': 1}"), Json.object())))
                .isInstanceOfSatisfying(NodeException.class,
                        e -> assertThat(e.getMessage()).contains("closed the connection before answering"));

        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void a_cookie_the_upstream_sets_is_not_sent_back() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Set-Cookie", "session=s-1; Path=/").build());
        server.enqueue(new MockResponse.Builder().code(200).build());

        node.run(call(get("/login", ""), Json.object()));
        node.run(call(get("/next", ""), Json.object()));

        server.takeRequest();
        assertThat(server.takeRequest().getHeaders().get("Cookie")).isNull();
    }

    @Test
    void a_request_carries_the_jdk_clients_user_agent_and_asks_for_no_compression() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).build());
        server.enqueue(new MockResponse.Builder().code(200).build());

        node.run(call(get("/", ""), Json.object()));
        node.run(call(get("/", ", 'headers': {'User-Agent': 'my-flow/1'}"), Json.object()));

        RecordedRequest plain = server.takeRequest();
        assertThat(plain.getHeaders().get("User-Agent")).isEqualTo("Java-http-client/" + System.getProperty("java.version"));
        assertThat(plain.getHeaders().get("Accept-Encoding")).isNull();
        assertThat(plain.getHeaders().get("Cookie")).isNull();
        assertThat(server.takeRequest().getHeaders().values("User-Agent")).containsExactly("my-flow/1");
    }

    @Test
    void a_401_with_a_challenge_is_emitted_as_it_came_whatever_its_size() throws Exception {
        String big = "x".repeat(40_000);   // over the 16 kB Jetty's authentication handler would buffer
        server.enqueue(new MockResponse.Builder().code(401).addHeader("WWW-Authenticate", "Basic realm=\"api\"")
                .body(big).build());

        NodeOutput output = node.run(call(get("/", ", 'fail_on_status': false, 'response': 'text'"), Json.object()));

        assertThat(output.data().get("status").asInt()).isEqualTo(401);
        assertThat(output.data().get("headers").get("www-authenticate").asText()).isEqualTo("Basic realm=\"api\"");
        assertThat(output.data().get("body").asText()).isEqualTo(big);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void a_restricted_or_malformed_header_fails_with_the_settings_type_and_sends_nothing() {
        assertThatThrownBy(() -> node.run(call(get("/", ", 'headers': {'Host': 'elsewhere.example'}"), Json.object())))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo("settings");
                    assertThat(e.getMessage()).contains("headers").contains("Host");
                });
        assertThatThrownBy(() -> node.run(call(get("/", ", 'headers': {'X-Bad': 'a\\r\\nX-Injected: 1'}"), Json.object())))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo("settings");
                    assertThat(e.getMessage()).contains("headers").contains("X-Bad");
                });
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void a_cancelled_step_closes_its_connection_to_the_upstream() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CompletionStage<NodeOutput> step = node.runAsync(call(json("{'url': 'http://127.0.0.1:"
                    + silent.getLocalPort() + "/slow'}"), Json.object()));
            try (Socket upstream = silent.accept()) {
                upstream.setSoTimeout(10_000);   // a failure bound: the client must hang up long before
                InputStream in = upstream.getInputStream();
                String head = readHead(in);
                assertThat(head).startsWith("GET /slow HTTP/1.1");

                step.toCompletableFuture().cancel(true);   // as the engine does on a timeout or a cancelled task

                assertThat(in.read()).isEqualTo(-1);
            }
            assertThat(step.toCompletableFuture().isCancelled()).isTrue();
        }
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) break;
            head.append((char) b);
        }
        return new String(head.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
