package dev.weft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/task/{id}/events}: live step events, replay, resume with Last-Event-ID, and the end. */
class EventsTest {

    static final Duration LIMIT = Duration.ofSeconds(10);
    static final String FLOW = """
            {"name": "two calls", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {"api": {"type": "string", "required": true}}}},
              {"id": "a", "type": "http", "settings": {"url": "{{start.api}}/a"}},
              {"id": "b", "type": "http", "settings": {"url": "{{start.api}}/b"}},
              {"id": "end", "type": "end", "settings": {"outputs": {"path": {"type": "string"}}}}],
             "edges": [
              {"from_node": "start", "to_node": "a", "fields_mapping": [{"from_field": "api", "to_field": "@"}]},
              {"from_node": "a", "to_node": "b", "fields_mapping": [{"from_field": "status", "to_field": "@"}]},
              {"from_node": "b", "to_node": "end", "fields_mapping": [{"from_field": "body.path", "to_field": "path"}]}]}""";

    static TestServer weft;
    static Upstream upstream;
    static String key;
    static long flow;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        weft = TestServer.start();
        upstream = new Upstream();
        key = weft.newKeyAuth("events");
        flow = weft.publishFlow(FLOW);
    }

    @AfterAll
    static void stop() {
        weft.close();
        upstream.close();
    }

    private long execute(String api) {
        return weft.post("/api/v1/scade/flow/" + flow + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": {\"api\": \"" + api + "\"}}}}", key).json().path("id").asLong();
    }

    private SseClient events(long id, String lastEventId) {
        return SseClient.open(http, weft.base() + "/api/v1/task/" + id + "/events", key, lastEventId);
    }

    private static List<String> names(List<SseClient.Event> events) {
        return events.stream().map(e -> e.name() + (e.data().has("node_id") ? ":" + e.data().path("node_id").asText()
                : "")).toList();
    }

    @Test
    void a_running_task_replays_what_is_done_then_streams_live_and_ends() throws Exception {
        upstream.holdCallsTo("/live/a");
        long id = execute(upstream.base() + "/live");
        upstream.awaitCalls("/live/a", 1, LIMIT);
        try (SseClient stream = events(id, null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");
            assertThat(names(List.of(stream.next(LIMIT), stream.next(LIMIT))))
                    .containsExactly("task.started", "step.finished:start");
            upstream.release();
            List<SseClient.Event> rest = stream.untilEnd(LIMIT);
            assertThat(names(rest)).containsExactly("step.finished:a", "step.started:b", "step.finished:b",
                    "step.started:end", "step.finished:end", "task.finished");
            SseClient.Event b = rest.get(2);
            assertThat(b.data().path("task_id").asLong()).isEqualTo(id);
            assertThat(b.data().path("state").asText()).isEqualTo("done");
            assertThat(b.data().path("outputs").path("body").path("path").asText()).isEqualTo("/live/b");
            assertThat(b.data().path("attempts")).hasSize(1);
            SseClient.Event finished = rest.get(rest.size() - 1);
            assertThat(finished.data().path("status").asInt()).isEqualTo(3);
            assertThat(finished.data().path("result").path("path").asText()).isEqualTo("/live/b");
        }
    }

    @Test
    void last_event_id_resumes_with_exactly_the_events_missed() throws Exception {
        upstream.holdCallsTo("/resume/a");
        long id = execute(upstream.base() + "/resume");
        upstream.awaitCalls("/resume/a", 1, LIMIT);
        String last;
        try (SseClient stream = events(id, null)) {
            stream.next(LIMIT);
            SseClient.Event seen = stream.next(LIMIT);
            assertThat(names(List.of(seen))).containsExactly("step.finished:start");
            last = seen.id();
        }
        upstream.release();
        assertThat(weft.awaitTask(id, key, LIMIT).path("status").asInt()).isEqualTo(3);

        try (SseClient resumed = events(id, last)) {
            List<SseClient.Event> rest = resumed.untilEnd(LIMIT);
            assertThat(names(rest)).containsExactly("step.finished:a", "step.finished:b", "step.finished:end",
                    "task.finished");
            assertThat(rest.get(0).id()).isNotEqualTo(last);
        }
    }

    @Test
    void a_finished_task_replays_every_step_and_ends() throws Exception {
        long id = execute(upstream.base() + "/done");
        weft.awaitTask(id, key, LIMIT);
        try (SseClient stream = events(id, null)) {
            List<SseClient.Event> all = stream.untilEnd(LIMIT);
            assertThat(names(all)).containsExactly("task.started", "step.finished:start", "step.finished:a",
                    "step.finished:b", "step.finished:end", "task.finished");
            assertThat(all.stream().map(SseClient.Event::id).distinct()).hasSize(all.size());
        }
    }

    @Test
    void a_failed_step_is_a_step_failed_event_and_the_task_ends_failed() throws Exception {
        long id = execute("http://127.0.0.1:1");
        weft.awaitTask(id, key, LIMIT);
        try (SseClient stream = events(id, null)) {
            List<SseClient.Event> all = stream.untilEnd(LIMIT);
            assertThat(names(all)).containsExactly("task.started", "step.finished:start", "step.failed:a",
                    "task.finished");
            assertThat(all.get(2).data().path("error").path("node_id").asText()).isEqualTo("a");
            assertThat(all.get(3).data().path("status").asInt()).isEqualTo(4);
        }
    }

    @Test
    void a_client_that_goes_away_changes_nothing_about_the_task() throws Exception {
        upstream.holdCallsTo("/gone/a");
        long id = execute(upstream.base() + "/gone");
        upstream.awaitCalls("/gone/a", 1, LIMIT);
        try (SseClient stream = events(id, null)) {
            stream.next(LIMIT);
        }
        upstream.release();
        assertThat(weft.awaitTask(id, key, LIMIT).path("status").asInt()).isEqualTo(3);
    }

    @Test
    void refusals_are_problems_not_streams() throws Exception {
        try (SseClient anonymous = SseClient.open(http, weft.base() + "/api/v1/task/1/events", null, null)) {
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.contentType()).isEqualTo("application/problem+json");
        }
        try (SseClient missing = events(999_999, null)) {
            assertThat(missing.status()).isEqualTo(404);
        }
        long id = execute(upstream.base() + "/garbled");
        try (SseClient garbled = events(id, "not-an-id")) {
            assertThat(garbled.status()).isEqualTo(400);
            assertThat(garbled.body()).contains("Last-Event-ID");
        }
    }
}
