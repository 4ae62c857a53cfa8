package dev.weft.hook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.api.TestServer;
import dev.weft.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhook triggers over real HTTP: the management API (token shown once, settings checked field by field), the
 * request's mapping to start inputs, both answer modes, the body and rate limits, revocation and rotation.
 */
class WebhooksApiTest {

    static TestServer server;
    static HookClient hooks;
    static long hello;
    static long delay;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        hooks = new HookClient(server);
        hello = server.publishFlow(TestServer.example("hello.json"));
        delay = server.publishFlow(TestServer.example("delay.json"));
        hooks.credential("api-hook-secret", "s3cret-for-api-tests");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String webhooks(long flowId) {
        return "/api/v1/flows/" + flowId + "/webhooks";
    }

    private static ObjectNode waiting(double seconds) {
        ObjectNode settings = Json.object();
        settings.putObject("answer").put("mode", "wait").put("wait_seconds", seconds);
        return settings;
    }

    @Test
    void the_token_is_256_random_bits_shown_only_when_made() {
        TestServer.Answer made = hooks.create(hello, Json.object().put("name", "once"));

        assertThat(made.status()).isEqualTo(201);
        String token = made.json().path("token").asText();
        assertThat(token).matches("whk_[A-Za-z0-9_-]{43}");   // 32 bytes of base64url
        assertThat(made.json().path("url").asText()).isEqualTo(server.base() + "/hooks/" + token);
        String id = made.json().path("id").asText();
        JsonNode read = server.get(webhooks(hello) + "/" + id, TestServer.ADMIN_AUTH).json();
        assertThat(read.has("token")).isFalse();
        assertThat(read.has("url")).isFalse();
        assertThat(read.path("live").asBoolean()).isTrue();
        assertThat(server.get(webhooks(hello), TestServer.ADMIN_AUTH).text()).doesNotContain(token)
                .doesNotContain(Webhooks.hash(token));
        assertThat(hooks.create(hello, Json.object().put("name", "other")).json().path("token").asText()).isNotEqualTo(token);
    }

    @Test
    void the_management_api_needs_the_admin() {
        assertThat(server.get(webhooks(hello), null).status()).isEqualTo(401);
        assertThat(server.post(webhooks(hello), "{\"name\": \"x\"}", null).status()).isEqualTo(401);
    }

    @Test
    void without_a_mapping_the_json_body_fields_are_the_inputs_and_the_task_is_marked() {
        TestServer.Answer made = hooks.create(hello, Json.object());
        String token = made.json().path("token").asText();
        String id = made.json().path("id").asText();

        TestServer.Answer answer = hooks.postJson(token, "{\"name\": \"Ada\"}");

        assertThat(answer.status()).as(answer.text()).isEqualTo(202);
        JsonNode task = answer.json();
        assertThat(task.path("id").asLong()).isPositive();
        assertThat(task.has("status")).isTrue();
        assertThat(task.path("flow_id").asLong()).isEqualTo(hello);
        assertThat(task.path("trigger")).isEqualTo(Json.read("{\"kind\": \"webhook\", \"id\": \"" + id + "\"}"));
        JsonNode done = server.awaitTask(task.path("id").asLong(), TestServer.ADMIN_AUTH, Duration.ofSeconds(10));
        assertThat(done.path("result").path("greeting").asText()).isEqualTo("Hello, Ada!");
        assertThat(done.path("trigger")).isEqualTo(task.path("trigger"));   // GET /api/v1/task/{id} says so too
        JsonNode inTasks = server.get("/api/v1/tasks?flow_id=" + hello, TestServer.ADMIN_AUTH).json().path("tasks");
        assertThat(inTasks.findValues("trigger")).contains(task.path("trigger"));
        JsonNode listed = server.get(webhooks(hello) + "/" + id + "/tasks", TestServer.ADMIN_AUTH).json().path("tasks");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("id").asLong()).isEqualTo(task.path("id").asLong());
        assertThat(listed.get(0).path("trigger").path("id").asText()).isEqualTo(id);
    }

    @Test
    void a_mapping_reads_the_body_query_and_headers() {
        ObjectNode settings = waiting(10).put("mapping",
                "{\"name\": body.user.first & \" \" & query.suffix & headers.\"x-tag\"}");
        String token = hooks.token(hello, settings);

        TestServer.Answer answer = hooks.post(token + "?suffix=Lovelace",
                "{\"user\": {\"first\": \"Ada\"}}".getBytes(StandardCharsets.UTF_8), "application/json", "X-Tag", "!");

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().path("result").path("greeting").asText()).isEqualTo("Hello, Ada Lovelace!!");
    }

    @Test
    void a_form_body_reaches_the_mapping_as_fields() {
        String token = hooks.token(hello, waiting(10).put("mapping", "{\"name\": body.who}"));

        TestServer.Answer answer = hooks.post(token, "who=Grace+Hopper&x=1".getBytes(StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded");

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().path("result").path("greeting").asText()).isEqualTo("Hello, Grace Hopper!");
    }

    @Test
    void inputs_that_do_not_fit_the_start_node_are_400_naming_the_field_and_start_nothing() {
        TestServer.Answer made = hooks.create(hello, Json.object());
        String token = made.json().path("token").asText();

        TestServer.Answer missing = hooks.postJson(token, "{}");
        TestServer.Answer unknown = hooks.postJson(token, "{\"name\": \"Ada\", \"age\": 3}");

        assertThat(missing.status()).as(missing.text()).isEqualTo(400);
        assertThat(missing.contentType()).isEqualTo("application/problem+json");
        assertThat(missing.json().path("errors").get(0).path("field").asText()).isEqualTo("node_settings.start.data.name");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().path("errors").get(0).path("field").asText()).isEqualTo("node_settings.start.data.age");
        assertThat(hooks.tasks(hello, made.json().path("id").asText())).isZero();
    }

    @Test
    void a_body_that_is_not_json_is_refused_without_a_mapping() {
        TestServer.Answer made = hooks.create(hello, Json.object());
        String token = made.json().path("token").asText();

        TestServer.Answer text = hooks.post(token, "name=Ada".getBytes(StandardCharsets.UTF_8), "text/plain");
        TestServer.Answer malformed = hooks.postJson(token, "{\"name\": ");
        TestServer.Answer array = hooks.postJson(token, "[1, 2]");

        assertThat(text.status()).as(text.text()).isEqualTo(415);
        assertThat(text.json().path("errors").get(0).path("field").asText()).isEqualTo("Content-Type");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("type").asText()).isEqualTo("/problems/malformed-json");
        assertThat(array.status()).isEqualTo(400);
        assertThat(array.json().path("errors").get(0).path("field").asText()).isEqualTo("body");
        assertThat(hooks.tasks(hello, made.json().path("id").asText())).isZero();
    }

    @Test
    void a_mapping_that_gives_no_object_or_needs_json_it_did_not_get_is_400() {
        TestServer.Answer made = hooks.create(hello, Json.object().put("mapping", "body.items"));
        String token = made.json().path("token").asText();

        TestServer.Answer notObject = hooks.postJson(token, "{\"items\": [1, 2]}");
        TestServer.Answer malformed = hooks.postJson(token, "{\"items\": ");

        assertThat(notObject.status()).as(notObject.text()).isEqualTo(400);
        assertThat(notObject.json().path("errors").get(0).path("field").asText()).isEqualTo("mapping");
        assertThat(notObject.json().path("detail").asText()).contains("array");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(hooks.tasks(hello, made.json().path("id").asText())).isZero();
    }

    @Test
    void the_wait_mode_answers_with_the_result_when_done_in_time() {
        String token = hooks.token(hello, waiting(10));

        TestServer.Answer answer = hooks.postJson(token, "{\"name\": \"Kay\"}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("status").asInt()).isEqualTo(3);
        assertThat(answer.json().path("result").path("greeting").asText()).isEqualTo("Hello, Kay!");
    }

    @Test
    void the_wait_mode_answers_202_with_the_task_when_the_wait_is_over() {
        String token = hooks.token(delay, waiting(0.2));

        TestServer.Answer answer = hooks.postJson(token, "{\"name\": \"Lin\"}");

        assertThat(answer.status()).as(answer.text()).isEqualTo(202);
        assertThat(answer.json().path("status").asInt()).isLessThan(3);
        long id = answer.json().path("id").asLong();
        JsonNode done = server.awaitTask(id, TestServer.ADMIN_AUTH, Duration.ofSeconds(20));
        assertThat(done.path("result").path("greeting").asText()).isEqualTo("Thanks for waiting, Lin.");
    }

    @Test
    void a_body_over_the_webhooks_limit_is_413_and_starts_nothing() {
        TestServer.Answer made = hooks.create(hello, Json.object().put("max_body_bytes", 64));
        String token = made.json().path("token").asText();

        TestServer.Answer fits = hooks.postJson(token, "{\"name\": \"Ada\"}");
        TestServer.Answer over = hooks.postJson(token, "{\"name\": \"" + "A".repeat(100) + "\"}");

        assertThat(fits.status()).isEqualTo(202);
        assertThat(over.status()).as(over.text()).isEqualTo(413);
        assertThat(over.contentType()).isEqualTo("application/problem+json");
        assertThat(over.json().path("detail").asText()).contains("64 bytes");
        assertThat(hooks.tasks(hello, made.json().path("id").asText())).isEqualTo(1);
    }

    @Test
    void requests_over_the_rate_limit_are_429_with_retry_after() {
        ObjectNode settings = Json.object();
        settings.putObject("rate_limit").put("per_second", 0.01).put("burst", 2);
        TestServer.Answer made = hooks.create(hello, settings);
        String token = made.json().path("token").asText();

        List<Integer> statuses = new ArrayList<>();
        TestServer.Answer last = null;
        for (int i = 0; i < 3; i++) {
            last = hooks.postJson(token, "{\"name\": \"Ada\"}");
            statuses.add(last.status());
        }

        assertThat(statuses).containsExactly(202, 202, 429);
        assertThat(last.contentType()).isEqualTo("application/problem+json");
        assertThat(Long.parseLong(last.header("Retry-After"))).isBetween(1L, 100L);
        assertThat(hooks.tasks(hello, made.json().path("id").asText())).isEqualTo(2);
    }

    @Test
    void a_revoked_token_answers_as_an_unknown_one_until_rotated() {
        TestServer.Answer made = hooks.create(hello, Json.object());
        String token = made.json().path("token").asText();
        String id = made.json().path("id").asText();
        assertThat(hooks.postJson(token, "{\"name\": \"Ada\"}").status()).isEqualTo(202);

        TestServer.Answer revoked = server.post(webhooks(hello) + "/" + id + "/revoke", null, TestServer.ADMIN_AUTH);
        TestServer.Answer afterRevoke = hooks.postJson(token, "{\"name\": \"Ada\"}");
        TestServer.Answer unknown = hooks.postJson("whk_" + "A".repeat(43), "{\"name\": \"Ada\"}");

        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().path("live").asBoolean()).isFalse();
        assertThat(afterRevoke.status()).isEqualTo(404);
        assertThat(afterRevoke.text()).isEqualTo(unknown.text());
        assertThat(hooks.tasks(hello, id)).isEqualTo(1);

        TestServer.Answer rotated = server.post(webhooks(hello) + "/" + id + "/rotate", null, TestServer.ADMIN_AUTH);
        String fresh = rotated.json().path("token").asText();
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(fresh).isNotEqualTo(token).matches("whk_[A-Za-z0-9_-]{43}");
        assertThat(hooks.postJson(token, "{\"name\": \"Ada\"}").status()).isEqualTo(404);
        assertThat(hooks.postJson(fresh, "{\"name\": \"Ada\"}").status()).isEqualTo(202);
    }

    @Test
    void a_credential_a_live_webhook_checks_signatures_with_cannot_be_deleted_until_it_is_revoked() {
        hooks.credential("held-by-hook", "kept-while-the-hook-is-live");
        ObjectNode settings = Json.object().put("name", "signed");
        settings.putObject("signature").put("preset", "github").put("secret_credential", "held-by-hook");
        String id = hooks.create(hello, settings).json().path("id").asText();

        TestServer.Answer refused = server.send("DELETE", "/api/v1/credentials/held-by-hook", null, null,
                TestServer.ADMIN_AUTH);
        JsonNode listed = server.get("/api/v1/credentials/held-by-hook", TestServer.ADMIN_AUTH).json();

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("errors").get(0).path("field").asText()).isEqualTo("name");
        assertThat(refused.text()).contains("webhook 'signed' of flow " + hello);
        assertThat(listed.path("webhooks").get(0).asText()).isEqualTo("'signed' of flow " + hello);

        assertThat(server.post(webhooks(hello) + "/" + id + "/revoke", null, TestServer.ADMIN_AUTH).status())
                .isEqualTo(200);
        assertThat(server.send("DELETE", "/api/v1/credentials/held-by-hook", null, null, TestServer.ADMIN_AUTH)
                .status()).isEqualTo(204);
    }

    @Test
    void a_deleted_webhook_is_gone() {
        TestServer.Answer made = hooks.create(hello, Json.object());
        String id = made.json().path("id").asText();

        assertThat(server.send("DELETE", webhooks(hello) + "/" + id, null, null, TestServer.ADMIN_AUTH).status())
                .isEqualTo(204);
        assertThat(server.get(webhooks(hello) + "/" + id, TestServer.ADMIN_AUTH).status()).isEqualTo(404);
        assertThat(hooks.postJson(made.json().path("token").asText(), "{\"name\": \"Ada\"}").status()).isEqualTo(404);
        assertThat(server.get(webhooks(delay) + "/" + id, TestServer.ADMIN_AUTH).status()).isEqualTo(404);
    }

    @Test
    void settings_are_replaced_by_an_update_and_the_token_stays() {
        TestServer.Answer made = hooks.create(hello, Json.object().put("name", "before"));
        String id = made.json().path("id").asText();
        String token = made.json().path("token").asText();

        TestServer.Answer updated = server.send("PUT", webhooks(hello) + "/" + id,
                Json.write(waiting(5).put("mapping", "{\"name\": body.n}")), "application/json", TestServer.ADMIN_AUTH);

        assertThat(updated.status()).as(updated.text()).isEqualTo(200);
        assertThat(updated.json().path("name").asText()).isEqualTo("before");
        assertThat(updated.json().path("answer").path("mode").asText()).isEqualTo("wait");
        TestServer.Answer answer = hooks.postJson(token, "{\"n\": \"Sam\"}");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().path("result").path("greeting").asText()).isEqualTo("Hello, Sam!");
    }

    @Test
    void bad_settings_are_400_naming_each_field_and_store_nothing() {
        int before = server.get(webhooks(hello), TestServer.ADMIN_AUTH).json().path("webhooks").size();
        ObjectNode settings = Json.object().put("name", "bad").put("mapping", "{\"a\": ").put("max_body_bytes", 0);
        settings.putObject("signature").put("preset", "gitlab").put("secret_credential", "nope");
        settings.putObject("answer").put("mode", "wait").put("wait_seconds", 0);
        settings.putObject("rate_limit").put("per_second", -1);

        TestServer.Answer refused = hooks.create(hello, settings);
        ObjectNode missingSecret = Json.object().put("name", "no secret");
        missingSecret.putObject("signature").put("preset", "github").put("secret_credential", "no-such-credential");
        TestServer.Answer noCredential = hooks.create(hello, missingSecret);

        assertThat(refused.status()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        refused.json().path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertThat(fields).contains("signature.preset", "mapping", "max_body_bytes", "answer.wait_seconds",
                "rate_limit.per_second");
        assertThat(noCredential.status()).isEqualTo(400);
        assertThat(noCredential.json().path("errors").get(0).path("field").asText())
                .isEqualTo("signature.secret_credential");
        assertThat(hooks.create(999_999, Json.object()).status()).isEqualTo(404);
        assertThat(server.get(webhooks(hello), TestServer.ADMIN_AUTH).json().path("webhooks")).hasSize(before);
    }
}
