package dev.weft.builtin;

import dev.weft.registry.RegisteredType;
import static dev.weft.builtin.Calls.call;
import static dev.weft.builtin.Calls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpNodeTest {

    private static final HttpNode.Options LOCAL = new HttpNode.Options(true, 1024, 5);

    private final MockWebServer server = new MockWebServer();
    private final HttpNode node = new HttpNode(LOCAL);

    @BeforeEach
    void start() throws Exception {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getPort() + path;
    }

    private static MockResponse.Builder answer(int code) {
        return new MockResponse.Builder().code(code);
    }

    private ObjectNode settings(String more) {
        ObjectNode settings = json("{" + more + "}");
        if (!settings.has("url")) settings.put("url", url("/items"));
        return settings;
    }

    @Test
    void a_get_emits_the_status_the_headers_and_the_parsed_json_body() throws Exception {
        server.enqueue(answer(200).addHeader("Content-Type", "application/json").addHeader("X-Request-Id", "r-1")
                .body("{\"items\": [1, 2]}").build());

        NodeOutput output = node.run(call(settings(""), Json.object()));

        assertThat(output.data().get("status").asInt()).isEqualTo(200);
        assertThat(output.data().get("headers").get("x-request-id").asText()).isEqualTo("r-1");
        assertThat(output.data().get("headers").get("content-type").asText()).isEqualTo("application/json");
        assertThat(output.data().get("body")).isEqualTo(json("{'items': [1, 2]}"));
        assertThat(server.takeRequest().getMethod()).isEqualTo("GET");
    }

    @Test
    void query_values_are_url_encoded_and_headers_are_sent() throws Exception {
        server.enqueue(answer(200).body("ok").build());

        node.run(call(settings("'url': '" + url("/search?lang=en") + "', 'query': {'q': 'a b&c', 'tag': ['x', 'y'],"
                + " 'page': 2, 'skip': null}, 'headers': {'X-Api-Key': 'k-1', 'X-Count': 3}"), Json.object()));

        RecordedRequest request = server.takeRequest();
        assertThat(request.getTarget()).isEqualTo("/search?lang=en&q=a%20b%26c&tag=x&tag=y&page=2");
        assertThat(request.getHeaders().get("X-Api-Key")).isEqualTo("k-1");
        assertThat(request.getHeaders().get("X-Count")).isEqualTo("3");
    }

    @Test
    void an_object_body_is_sent_as_json_and_a_text_body_as_text() throws Exception {
        server.enqueue(answer(201).build());
        server.enqueue(answer(200).build());
        server.enqueue(answer(200).build());

        node.run(call(settings("'method': 'POST', 'body': {'name': 'Ada'}"), Json.object()));
        node.run(call(settings("'method': 'put', 'body': 'plain words'"), Json.object()));
        node.run(call(settings("'method': 'PATCH', 'body': 'a=1', 'headers': {'content-type': 'application/x-www-form-urlencoded'}"),
                Json.object()));

        RecordedRequest json = server.takeRequest();
        assertThat(json.getMethod()).isEqualTo("POST");
        assertThat(json.getHeaders().get("Content-Type")).isEqualTo("application/json");
        assertThat(json.getBody().utf8()).isEqualTo("{\"name\":\"Ada\"}");
        RecordedRequest text = server.takeRequest();
        assertThat(text.getMethod()).isEqualTo("PUT");
        assertThat(text.getHeaders().get("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(text.getBody().utf8()).isEqualTo("plain words");
        RecordedRequest form = server.takeRequest();
        assertThat(form.getHeaders().get("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(form.getBody().utf8()).isEqualTo("a=1");
    }

    @Test
    void the_response_setting_decides_how_the_body_is_read() throws Exception {
        server.enqueue(answer(200).addHeader("Content-Type", "text/html").body("<p>hi</p>").build());
        server.enqueue(answer(200).addHeader("Content-Type", "text/plain").body("{\"a\": 1}").build());
        server.enqueue(answer(200).addHeader("Content-Type", "application/json").body("{\"a\": 1}").build());
        server.enqueue(answer(204).build());

        assertThat(node.run(call(settings(""), Json.object())).data().get("body").asText()).isEqualTo("<p>hi</p>");
        assertThat(node.run(call(settings("'response': 'json'"), Json.object())).data().get("body"))
                .isEqualTo(json("{'a': 1}"));
        assertThat(node.run(call(settings("'response': 'text'"), Json.object())).data().get("body").asText())
                .isEqualTo("{\"a\": 1}");
        assertThat(node.run(call(settings(""), Json.object())).data().get("body").asText()).isEmpty();
    }

    @Test
    void a_head_request_emits_the_headers_and_an_empty_body() throws Exception {
        server.enqueue(answer(200).addHeader("ETag", "\"v7\"").build());

        NodeOutput output = node.run(call(settings("'method': 'HEAD'"), Json.object()));

        assertThat(server.takeRequest().getMethod()).isEqualTo("HEAD");
        assertThat(output.data().get("headers").get("etag").asText()).isEqualTo("\"v7\"");
        assertThat(output.data().get("body").asText()).isEmpty();
    }

    @Test
    void a_body_that_must_be_json_and_is_not_fails_with_response_not_json() {
        server.enqueue(answer(200).body("<html>").build());

        assertThatThrownBy(() -> node.run(call(settings("'response': 'json'"), Json.object())))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo("response_not_json");
                    assertThat(e.retryable()).isFalse();
                });
    }

    @Test
    void non_2xx_answer_fails_with_status_type() {
        server.enqueue(answer(404).body("no such item").build());

        assertThatThrownBy(() -> node.run(call(settings("'url': '" + url("/items/7?token=secret") + "'"),
                Json.object())))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo("http_status");
                    assertThat(e.retryable()).isFalse();
                    // The query is left out of messages: it often carries credentials.
                    assertThat(e.getMessage()).isEqualTo("GET " + url("/items/7") + " answered 404: no such item");
                });
    }

    @Test
    void a_429_or_5xx_answer_fails_retryably_with_the_first_200_characters_of_the_body() {
        server.enqueue(answer(503).body("x".repeat(300)).build());
        server.enqueue(answer(429).build());

        assertThatThrownBy(() -> node.run(call(settings(""), Json.object())))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).endsWith("answered 503: " + "x".repeat(200));
                });
        assertThatThrownBy(() -> node.run(call(settings(""), Json.object())))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void with_fail_on_status_false_a_non_2xx_answer_is_emitted() throws Exception {
        server.enqueue(answer(500).addHeader("Content-Type", "application/problem+json")
                .body("{\"title\": \"down\"}").build());

        NodeOutput output = node.run(call(settings("'fail_on_status': false"), Json.object()));

        assertThat(output.data().get("status").asInt()).isEqualTo(500);
        assertThat(output.data().get("body")).isEqualTo(json("{'title': 'down'}"));
    }

    @Test
    void a_303_is_followed_with_a_get_without_body_and_a_307_keeps_method_and_body() throws Exception {
        server.enqueue(answer(303).addHeader("Location", "/created/1").build());
        server.enqueue(answer(200).body("seen").build());
        server.enqueue(answer(307).addHeader("Location", url("/again")).build());
        server.enqueue(answer(200).body("kept").build());

        assertThat(node.run(call(settings("'method': 'POST', 'body': {'a': 1}"), Json.object())).data().get("body")
                .asText()).isEqualTo("seen");
        assertThat(node.run(call(settings("'method': 'POST', 'body': {'a': 2}"), Json.object())).data().get("body")
                .asText()).isEqualTo("kept");

        server.takeRequest();
        RecordedRequest afterSeeOther = server.takeRequest();
        assertThat(afterSeeOther.getMethod()).isEqualTo("GET");
        assertThat(afterSeeOther.getTarget()).isEqualTo("/created/1");
        assertThat(afterSeeOther.getBodySize()).isZero();
        server.takeRequest();
        RecordedRequest afterTemporary = server.takeRequest();
        assertThat(afterTemporary.getMethod()).isEqualTo("POST");
        assertThat(afterTemporary.getBody().utf8()).isEqualTo("{\"a\":2}");
    }

    @Test
    void a_redirect_to_another_origin_drops_the_credentials() throws Exception {
        String otherOrigin = "http://localhost:" + server.getPort() + "/elsewhere";
        server.enqueue(answer(302).addHeader("Location", otherOrigin).build());
        server.enqueue(answer(200).build());

        node.run(call(settings("'headers': {'Authorization': 'Bearer t', 'X-Trace': 'on'}"), Json.object()));

        assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer t");
        RecordedRequest redirected = server.takeRequest();
        assertThat(redirected.getHeaders().get("Authorization")).isNull();
        assertThat(redirected.getHeaders().get("X-Trace")).isEqualTo("on");
    }

    @Test
    void more_redirects_than_allowed_fail_with_too_many_redirects() {
        HttpNode strict = new HttpNode(new HttpNode.Options(true, 1024, 2));
        for (int i = 0; i < 3; i++) server.enqueue(answer(302).addHeader("Location", "/loop").build());

        assertThatThrownBy(() -> strict.run(call(settings(""), Json.object())))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo("too_many_redirects");
                    assertThat(e.retryable()).isFalse();
                });
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void a_body_over_the_limit_fails_with_response_too_large_whether_or_not_its_length_is_declared() {
        server.enqueue(answer(200).body("x".repeat(1025)).build());
        server.enqueue(answer(200).chunkedBody("y".repeat(5000), 100).build());

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> node.run(call(settings(""), Json.object())))
                    .isInstanceOfSatisfying(NodeException.class, e -> {
                        assertThat(e.type()).isEqualTo("response_too_large");
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).endsWith("answered with a body over the limit of 1024 bytes");
                    });
        }
    }

    @Test
    void an_answer_slower_than_timeout_ms_fails_with_timeout() {
        server.enqueue(answer(200).headersDelay(2, TimeUnit.SECONDS).build());

        assertThatThrownBy(() -> node.run(call(settings("'timeout_ms': 100"), Json.object())))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo("timeout");
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).isEqualTo("GET " + url("/items") + " got no complete answer within"
                            + " 100 ms (timeout_ms)");
                });
    }

    @Test
    void a_body_slower_than_timeout_ms_fails_with_timeout() {
        server.enqueue(answer(200).body("slow").bodyDelay(2, TimeUnit.SECONDS).build());

        assertThatThrownBy(() -> node.run(call(settings("'timeout_ms': 150"), Json.object())))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.type()).isEqualTo("timeout"));
    }

    @Test
    void a_refused_connection_fails_retryably_with_http_error() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> node.run(call(settings("'url': 'http://127.0.0.1:" + closedPort + "/'"),
                Json.object())))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo("http_error");
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).isEqualTo("GET http://127.0.0.1:" + closedPort + "/: could not connect to "
                            + "127.0.0.1:" + closedPort + ": connection refused");
                });
    }

    @Test
    void an_interrupted_request_ends_with_interrupted_exception() throws Exception {
        server.enqueue(answer(200).headersDelay(2, TimeUnit.SECONDS).build());
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            Thread.currentThread().interrupt();   // as a step timeout or a cancel would
            try {
                node.run(call(settings(""), Json.object()));
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        worker.start();

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    }

    @Test
    void a_url_that_is_not_absolute_once_rendered_fails_with_the_settings_type() {
        assertThatThrownBy(() -> node.run(call(json("{'url': '/relative/{{x}}'}"), Json.object())))
                .isInstanceOfSatisfying(NodeException.class, e -> {
                    assertThat(e.type()).isEqualTo("settings");
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).startsWith("settings.url: must be an absolute http(s) URL");
                });
    }

    @Test
    void declares_status_headers_and_body_as_its_output_fields() {
        assertThat(RegisteredType.of(node).outputFields(json("{}"))).contains(List.of("status", "headers", "body"));
    }
}
