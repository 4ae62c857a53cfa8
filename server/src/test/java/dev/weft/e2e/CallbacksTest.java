package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.callback.CallbackSigner;
import dev.weft.callback.CallbackPolicy;
import dev.weft.run.RunApiConfig;
import dev.weft.api.Polls;
import dev.weft.api.TestServer;
import dev.weft.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code callback_url}: a signed POST of the task when it ends, retried with backoff, every attempt recorded. */
class CallbacksTest {

    static final Duration LIMIT = Duration.ofSeconds(10);
    static final String SECRET = "test-callback-secret";
    static final RunApiConfig FAST = RunApiConfig.DEFAULT.withCallbacks(CallbackPolicy.DEFAULT
            .withSecret(SECRET).withRetries(Duration.ofMillis(50), Duration.ofMillis(200)));

    Receiver receiver;

    @BeforeEach
    void start() {
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private static String body(String name, String callback) {
        return "{\"callback_url\": \"" + callback + "\", \"node_settings\": {\"start\": {\"data\": {\"name\": \""
                + name + "\"}}}}";
    }

    /** Polls the deliveries until {@code done} holds (the recording follows the receiver's answer). */
    private static JsonNode deliveries(TestServer weft, long id, String key, Predicate<JsonNode> done) {
        return Polls.until("the deliveries of task " + id, LIMIT, Duration.ofMillis(10),
                () -> weft.get("/api/v1/task/" + id + "/deliveries", key).json(), done);
    }

    /** A flow that runs at execute (pure nodes only), and one whose delay step runs in the worker. */
    static Stream<String> flows() {
        return Stream.of(TestServer.example("hello.json"), TestServer.resource("hello-after-delay.json"));
    }

    @ParameterizedTest
    @MethodSource("flows")
    void a_signed_callback_is_retried_until_the_receiver_accepts_it(String document) throws Exception {
        receiver.answer(200, 500, 500);
        try (TestServer weft = TestServer.start(c -> c, FAST)) {
            String key = weft.newKeyAuth("callbacks");
            long flow = weft.publishFlow(document);
            long id = weft.post("/api/v1/scade/flow/" + flow + "/execute", body("Ada", receiver.url()), key)
                    .json().path("id").asLong();

            List<Receiver.Call> calls = receiver.await(3, LIMIT);
            for (Receiver.Call call : calls) {
                String[] parts = call.headers().get("weft-signature").split(",");
                long t = Long.parseLong(parts[0].substring(2));
                assertThat(parts[1]).isEqualTo("v1=" + CallbackSigner.sign(SECRET.getBytes(StandardCharsets.UTF_8),
                        t, call.body()));
                assertThat(Math.abs(Instant.now().getEpochSecond() - t)).isLessThan(60);
                assertThat(call.headers().get("weft-task-id")).isEqualTo(String.valueOf(id));
                assertThat(call.headers().get("content-type")).isEqualTo("application/json");
                JsonNode task = Json.read(new String(call.body(), StandardCharsets.UTF_8));
                assertThat(task.path("id").asLong()).isEqualTo(id);
                assertThat(task.path("status").asInt()).isEqualTo(3);
                assertThat(task.path("result").path("greeting").asText()).isEqualTo("Hello, Ada!");
            }

            JsonNode deliveries = deliveries(weft, id, key, d -> d.path("state").asText().equals("delivered"));
            assertThat(deliveries.path("callback_url").asText()).isEqualTo(receiver.url());
            JsonNode attempts = deliveries.path("attempts");
            assertThat(attempts).hasSize(3);
            assertThat(attempts.get(0).path("status_code").asInt()).isEqualTo(500);
            assertThat(attempts.get(0).path("error").asText()).contains("500");
            assertThat(attempts.get(1).path("number").asInt()).isEqualTo(2);
            assertThat(attempts.get(2).path("status_code").asInt()).isEqualTo(200);
            assertThat(attempts.get(2).path("error").isNull()).isTrue();
            assertThat(deliveries.path("finished_at").asText()).isNotEmpty();
            assertThat(receiver.calls()).hasSize(3);
        }
    }

    @Test
    void a_task_without_a_callback_has_no_deliveries_and_the_secret_is_for_the_admin() {
        try (TestServer weft = TestServer.start(c -> c, FAST)) {
            String key = weft.newKeyAuth("callbacks");
            long flow = weft.publishFlow(TestServer.example("hello.json"));
            long id = weft.post("/api/v1/scade/flow/" + flow + "/execute",
                    "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Ada\"}}}}", key).json().path("id").asLong();
            JsonNode deliveries = weft.get("/api/v1/task/" + id + "/deliveries", key).json();
            assertThat(deliveries.path("callback_url").isNull()).isTrue();
            assertThat(deliveries.path("attempts")).isEmpty();

            assertThat(weft.get("/api/v1/callbacks/secret", key).status()).isEqualTo(401);
            assertThat(weft.get("/api/v1/callbacks/secret", TestServer.ADMIN_AUTH).json().path("secret").asText())
                    .isEqualTo(SECRET);
        }
    }

    @Test
    void a_callback_to_a_private_address_is_refused_unless_the_operator_allows_it() {
        try (TestServer weft = TestServer.start(c -> c.withAllowPrivateHttp(false), FAST)) {
            String key = weft.newKeyAuth("callbacks");
            long flow = weft.publishFlow(TestServer.example("hello.json"));
            for (String url : new String[] {receiver.url(), "http://10.0.0.1/hook", "http://[::1]:9/x",
                    "ftp://example.com/x", "not a url", "/relative"}) {
                TestServer.Answer refused = weft.post("/api/v1/scade/flow/" + flow + "/execute", body("Ada", url), key);
                assertThat(refused.status()).as(url).isEqualTo(400);
                assertThat(refused.json().path("errors").get(0).path("field").asText()).isEqualTo("callback_url");
            }
            assertThat(receiver.calls()).isEmpty();
        }
    }

    @Test
    void a_pending_delivery_survives_a_restart() throws Exception {
        receiver.answer(503);
        Path data = Files.createTempDirectory("weft-callback-restart");
        long id;
        String key;
        try (TestServer first = TestServer.start(c -> c.withDataDir(data), FAST)) {
            key = first.newKeyAuth("callbacks");
            long flow = first.publishFlow(TestServer.example("hello.json"));
            id = first.post("/api/v1/scade/flow/" + flow + "/execute", body("Ada", receiver.url()), key)
                    .json().path("id").asLong();
            deliveries(first, id, key, d -> d.path("attempts").size() >= 1);
        }
        int before = receiver.calls().size();
        receiver.answer(200);
        try (TestServer second = TestServer.start(c -> c.withDataDir(data), FAST)) {
            JsonNode deliveries = deliveries(second, id, key, d -> d.path("state").asText().equals("delivered"));
            assertThat(receiver.calls().size()).isGreaterThan(before);
            JsonNode attempts = deliveries.path("attempts");
            assertThat(attempts.get(0).path("status_code").asInt()).isEqualTo(503);
            assertThat(attempts.get(attempts.size() - 1).path("status_code").asInt()).isEqualTo(200);
        }
    }
}
