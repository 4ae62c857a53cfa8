package dev.weft.api;

import dev.weft.run.Idempotency;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.testing.ManualClock;
import dev.weft.store.Database;
import dev.weft.store.JdbcIdempotencyKeys;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code Idempotency-Key} on execute: Stripe's semantics, per server key, for 24 hours. */
class IdempotencyTest {

    static TestServer server;
    static String key;
    static long hello;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        key = server.newKeyAuth("idempotency");
        hello = server.publishFlow(TestServer.example("hello.json"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String execute() {
        return "/api/v1/scade/flow/" + hello + "/execute";
    }

    private static String body(String name) {
        return "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"" + name + "\"}}}}";
    }

    @Test
    void the_same_key_and_request_answer_the_first_task() {
        TestServer.Answer first = server.post(execute(), body("Ada"), key, "Idempotency-Key", "order-1");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        long id = first.json().path("id").asLong();

        TestServer.Answer again = server.post(execute() + "?wait=5", body("Ada"), key, "Idempotency-Key", "order-1");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json().path("id").asLong()).isEqualTo(id);
        assertThat(again.json().path("result").path("greeting").asText()).isEqualTo("Hello, Ada!");
    }

    @Test
    void the_order_of_keys_in_the_body_does_not_make_another_request() {
        long id = server.post(execute(), "{\"flow_version\": 1, " + body("Lin").substring(1), key,
                "Idempotency-Key", "order-2").json().path("id").asLong();
        String reordered = body("Lin").substring(0, body("Lin").length() - 1) + ", \"flow_version\": 1}";
        TestServer.Answer again = server.post(execute(), reordered, key, "Idempotency-Key", "order-2");
        assertThat(again.json().path("id").asLong()).isEqualTo(id);
    }

    @Test
    void the_same_key_with_a_different_request_is_a_conflict() {
        long id = server.post(execute(), body("Ada"), key, "Idempotency-Key", "order-3").json().path("id").asLong();

        TestServer.Answer conflict = server.post(execute(), body("Grace"), key, "Idempotency-Key", "order-3");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.contentType()).isEqualTo("application/problem+json");
        assertThat(conflict.json().path("type").asText()).isEqualTo("/problems/idempotency-key-reused");
        assertThat(conflict.json().path("errors").get(0).path("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(conflict.json().path("detail").asText()).contains("task " + id);
    }

    @Test
    void keys_are_scoped_per_server_key() {
        String other = server.newKeyAuth("other");
        long mine = server.post(execute(), body("Ada"), key, "Idempotency-Key", "shared").json().path("id").asLong();
        long theirs = server.post(execute(), body("Ada"), other, "Idempotency-Key", "shared").json().path("id").asLong();
        assertThat(theirs).isNotEqualTo(mine);
    }

    @Test
    void a_refused_request_is_not_remembered() {
        TestServer.Answer refused = server.post(execute(), "{}", key, "Idempotency-Key", "order-4");
        assertThat(refused.status()).isEqualTo(400);
        TestServer.Answer accepted = server.post(execute(), body("Ada"), key, "Idempotency-Key", "order-4");
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.header("Idempotent-Replayed")).isNull();
    }

    @Test
    void a_malformed_key_is_refused() {
        TestServer.Answer answer = server.post(execute(), body("Ada"), key, "Idempotency-Key", "x".repeat(256));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("errors").get(0).path("field").asText()).isEqualTo("Idempotency-Key");
    }

    @Test
    void concurrent_requests_with_one_key_make_one_task() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<TestServer.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(pool.submit(() -> server.post(execute(), body("Ada"), key, "Idempotency-Key", "burst")));
            }
            Set<Long> ids = new HashSet<>();
            for (Future<TestServer.Answer> answer : answers) {
                assertThat(answer.get().status()).isEqualTo(200);
                ids.add(answer.get().json().path("id").asLong());
            }
            assertThat(ids).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_key_is_forgotten_after_its_window() throws Exception {
        ManualClock clock = new ManualClock();
        try (Database database = Database.openSqlite(Files.createTempDirectory("weft-idem"))) {
            JdbcIdempotencyKeys keys = new JdbcIdempotencyKeys(database, clock, Duration.ofHours(24));
            database.writer().run(tx -> {
                tx.connection().createStatement().execute("INSERT INTO flows (name, document, created_at, updated_at)"
                        + " VALUES ('f', '{}', 0, 0)");
                tx.connection().createStatement().execute("INSERT INTO flow_versions (flow_id, version,"
                        + " document, created_at) VALUES (1, 1, '{}', 0)");
                tx.connection().createStatement().execute("INSERT INTO tasks (flow_id, flow_version, state, start_node,"
                        + " end_node, result_node, created_at) VALUES (1, 1, 'queued', 's', 'e', 'e', 0)");
                return null;
            });
            JdbcIdempotencyKeys.Claim first = keys.claim("admin", "k", "hash-1");
            database.writer().run(tx -> {
                assertThat(first.existing(tx)).isNull();
                first.inserted(tx, 1);
                return null;
            });
            assertThat(keys.find("admin", "k")).map(JdbcIdempotencyKeys.Entry::taskId).contains(1L);

            clock.advance(Duration.ofHours(23));
            assertThat(keys.find("admin", "k")).isPresent();
            clock.advance(Duration.ofHours(2));
            assertThat(keys.find("admin", "k")).isEmpty();
            JdbcIdempotencyKeys.Claim later = keys.claim("admin", "k", "hash-2");
            database.writer().run(tx -> {
                assertThat(later.existing(tx)).as("an expired key is claimed afresh").isNull();
                return null;
            });
            assertThat(keys.prune()).isZero();
        }
    }
}
