package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import dev.weft.server.ServerConfig;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/task/{id}/cancel}: a queued task never starts, a running one stops; repeats are harmless. */
class CancelTest {

    static final Duration LIMIT = Duration.ofSeconds(10);

    TestServer weft;
    Upstream upstream;
    String key;
    long flow;

    @BeforeEach
    void start() {
        // one worker slot: a second task waits in the queue while the first is held
        weft = TestServer.start(c -> new ServerConfig(c.host(), c.port(), c.dataDir(), c.adminToken(), 1,
                c.nodeThreads(), c.maxBodyBytes(), c.allowPrivateHttp(), c.waitMax(), c.http()));
        upstream = new Upstream();
        key = weft.newKeyAuth("cancel");
        flow = weft.publishFlow(WaitTest.FLOW);
    }

    @AfterEach
    void stop() {
        weft.close();
        upstream.close();
    }

    private long execute(String api) {
        TestServer.Answer answer = weft.post("/api/v1/scade/flow/" + flow + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": {\"api\": \"" + api + "\"}}}}", key);
        assertThat(answer.status()).isEqualTo(200);
        return answer.json().path("id").asLong();
    }

    private TestServer.Answer cancel(long id) {
        return weft.post("/api/v1/task/" + id + "/cancel", null, key);
    }

    @Test
    void a_running_task_stops_its_steps_and_ends_cancelled() throws Exception {
        upstream.holdCallsTo("/slow");
        long id = execute(upstream.base());
        upstream.awaitCalls("/slow", 1, LIMIT);

        TestServer.Answer cancelled = cancel(id);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().path("status").asInt()).isEqualTo(5);
        assertThat(cancelled.json().path("state").asText()).isEqualTo("cancelled");
        assertThat(cancelled.json().path("error").path("type").asText()).isEqualTo("cancelled");
        assertThat(cancelled.json().path("finished_at").asText()).isNotEmpty();

        upstream.release();
        TestServer.Answer polled = weft.get("/api/v1/task/" + id + "?wait=0.3", key);
        assertThat(polled.status()).isEqualTo(200);
        assertThat(polled.json().path("status").asInt()).isEqualTo(5);
        JsonNode steps = weft.get("/api/v1/task/" + id + "/steps", key).json().path("steps");
        for (JsonNode step : steps) assertThat(step.path("node_id").asText()).isIn("start");
    }

    @Test
    void a_queued_task_never_starts() throws Exception {
        upstream.holdCallsTo("/slow");
        long first = execute(upstream.base());
        upstream.awaitCalls("/slow", 1, LIMIT);
        long second = execute(upstream.base() + "/second");
        assertThat(weft.get("/api/v1/task/" + second, key).json().path("state").asText()).isEqualTo("queued");

        TestServer.Answer cancelled = cancel(second);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().path("status").asInt()).isEqualTo(5);
        assertThat(cancelled.json().path("started_at").isNull()).isTrue();

        upstream.release();
        assertThat(weft.awaitTask(first, key, LIMIT).path("status").asInt()).isEqualTo(3);
        // the worker's slot is free again and it has looked at the queue: the cancelled task is not in it
        long third = execute(upstream.base() + "/third");
        assertThat(weft.awaitTask(third, key, LIMIT).path("status").asInt()).isEqualTo(3);
        assertThat(upstream.calls("/second/slow")).isZero();
        assertThat(weft.get("/api/v1/task/" + second, key).json().path("status").asInt()).isEqualTo(5);
        assertThat(weft.get("/api/v1/task/" + second + "/steps", key).json().path("steps")).isEmpty();
    }

    @Test
    void cancelling_again_answers_the_cancelled_task_and_a_finished_task_is_a_conflict() throws Exception {
        upstream.holdCallsTo("/slow");
        long id = execute(upstream.base());
        upstream.awaitCalls("/slow", 1, LIMIT);
        assertThat(cancel(id).status()).isEqualTo(200);
        TestServer.Answer again = cancel(id);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("status").asInt()).isEqualTo(5);
        upstream.release();

        long done = execute(upstream.base() + "/done");
        weft.awaitTask(done, key, LIMIT);
        TestServer.Answer conflict = cancel(done);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.contentType()).isEqualTo("application/problem+json");
        assertThat(conflict.json().path("type").asText()).isEqualTo("/problems/task-finished");
        assertThat(conflict.json().path("detail").asText()).contains("completed");
        assertThat(weft.get("/api/v1/task/" + done, key).json().path("status").asInt()).isEqualTo(3);
    }

    @Test
    void cancelling_an_unknown_task_is_404_and_needs_a_credential() {
        assertThat(cancel(999_999).status()).isEqualTo(404);
        assertThat(weft.post("/api/v1/task/1/cancel", null, null).status()).isEqualTo(401);
    }
}
