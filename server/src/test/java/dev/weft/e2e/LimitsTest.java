package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.auth.RateLimiter;
import dev.weft.run.RunApiConfig;
import dev.weft.api.TestServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-key rate limit and the per-flow concurrency limit: 429 with {@code Retry-After} when over. */
class LimitsTest {

    static final Duration LIMIT = Duration.ofSeconds(10);
    static final String HELLO = "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Ada\"}}}}";

    @Test
    void a_key_over_its_rate_gets_429_with_retry_after_and_other_callers_do_not() {
        try (TestServer weft = TestServer.start(c -> c, RunApiConfig.DEFAULT.withRateLimit(0.5, 2))) {
            String key = weft.newKeyAuth("limited");
            String other = weft.newKeyAuth("other");
            long flow = weft.publishFlow(TestServer.example("hello.json"));
            String execute = "/api/v1/scade/flow/" + flow + "/execute";
            assertThat(weft.post(execute, HELLO, key).status()).isEqualTo(200);
            assertThat(weft.post(execute, HELLO, key).status()).isEqualTo(200);

            TestServer.Answer limited = weft.post(execute, HELLO, key);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.contentType()).isEqualTo("application/problem+json");
            assertThat(limited.json().path("type").asText()).isEqualTo("/problems/rate-limited");
            assertThat(limited.header("Retry-After")).isEqualTo("2");
            assertThat(weft.get("/api/v1/task/1", key).status()).as("every request counts").isEqualTo(429);

            assertThat(weft.post(execute, HELLO, other).status()).isEqualTo(200);
            assertThat(weft.post(execute, HELLO, TestServer.ADMIN_AUTH).status()).isEqualTo(200);
        }
    }

    @Test
    void the_bucket_refills_at_the_rate() {
        AtomicLong now = new AtomicLong();
        RateLimiter limiter = new RateLimiter(10, 2, now::get);
        assertThat(limiter.take("k")).isZero();
        assertThat(limiter.take("k")).isZero();
        assertThat(limiter.take("k")).isEqualTo(Duration.ofMillis(100));
        now.addAndGet(Duration.ofMillis(100).toNanos());
        assertThat(limiter.take("k")).isZero();
        assertThat(limiter.take("k")).isPositive();
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(limiter.take("k")).as("refills up to the burst only").isZero();
        assertThat(limiter.take("k")).isZero();
        assertThat(limiter.take("k")).isPositive();
        assertThat(new RateLimiter(0, 0, now::get).take("k")).as("0 turns it off").isZero();
    }

    @Test
    void a_flow_at_its_concurrency_limit_refuses_more_until_a_task_finishes() throws Exception {
        try (TestServer weft = TestServer.start(c -> c, RunApiConfig.DEFAULT.withFlowConcurrency(1, false));
             Upstream upstream = new Upstream()) {
            String key = weft.newKeyAuth("busy");
            long flow = weft.publishFlow(WaitTest.FLOW);
            long hello = weft.publishFlow(TestServer.example("hello.json"));
            String body = "{\"node_settings\": {\"start\": {\"data\": {\"api\": \"" + upstream.base() + "\"}}}}";
            upstream.holdCallsTo("/slow");
            long first = weft.post("/api/v1/scade/flow/" + flow + "/execute", body, key).json().path("id").asLong();
            upstream.awaitCalls("/slow", 1, LIMIT);

            TestServer.Answer refused = weft.post("/api/v1/scade/flow/" + flow + "/execute", body, key);
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.json().path("type").asText()).isEqualTo("/problems/flow-concurrency-limit");
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(weft.post("/api/v1/scade/flow/" + hello + "/execute", HELLO, key).status())
                    .as("other flows are not limited").isEqualTo(200);

            upstream.release();
            weft.awaitTask(first, key, LIMIT);
            assertThat(weft.post("/api/v1/scade/flow/" + flow + "/execute", body, key).status()).isEqualTo(200);
        }
    }

    @Test
    void in_queue_mode_a_flow_at_its_limit_accepts_and_starts_the_task_when_one_finishes() throws Exception {
        try (TestServer weft = TestServer.start(c -> c, RunApiConfig.DEFAULT.withFlowConcurrency(1, true));
             Upstream upstream = new Upstream()) {
            String key = weft.newKeyAuth("queued");
            long flow = weft.publishFlow(WaitTest.FLOW);
            upstream.holdCallsTo("/slow");
            long first = weft.post("/api/v1/scade/flow/" + flow + "/execute", "{\"node_settings\": {\"start\": "
                    + "{\"data\": {\"api\": \"" + upstream.base() + "\"}}}}", key).json().path("id").asLong();
            upstream.awaitCalls("/slow", 1, LIMIT);

            TestServer.Answer second = weft.post("/api/v1/scade/flow/" + flow + "/execute", "{\"node_settings\": "
                    + "{\"start\": {\"data\": {\"api\": \"" + upstream.base() + "/second\"}}}}", key);
            assertThat(second.status()).isEqualTo(200);
            long id = second.json().path("id").asLong();
            TestServer.Answer waiting = weft.get("/api/v1/task/" + id + "?wait=1.5", key);
            assertThat(waiting.status()).as("past a worker poll, it still waits for the flow").isEqualTo(202);
            assertThat(waiting.json().path("state").asText()).isEqualTo("queued");
            assertThat(upstream.calls("/second/slow")).isZero();

            upstream.release();
            weft.awaitTask(first, key, LIMIT);
            assertThat(weft.awaitTask(id, key, LIMIT).path("status").asInt()).isEqualTo(3);
            assertThat(upstream.calls("/second/slow")).isEqualTo(1);
        }
    }
}
