package dev.weft.e2e;

import dev.weft.builtin.FakeModel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import dev.weft.json.Json;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live tokens: an {@code llm} step streaming from a fake OpenAI-compatible server publishes {@code delta} events
 * while it runs; {@code POST .../execute?stream=true} answers with the task's events directly.
 */
class StreamingTest {

    static final Duration LIMIT = Duration.ofSeconds(10);
    static final String FLOW = """
            {"name": "ask", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {"q": {"type": "string", "required": true}}}},
              {"id": "ask", "type": "llm", "settings": {"base_url": "%s", "model": "gpt-4o-mini", "user": "{{start.q}}",
                "max_retries": 0}},
              {"id": "end", "type": "end", "settings": {"outputs": {"text": {"type": "string"}}}}],
             "edges": [
              {"from_node": "ask", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "text"}]},
              {"from_node": "start", "to_node": "ask", "fields_mapping": [{"from_field": "q", "to_field": "q"}]}]}""";

    static TestServer weft;
    static FakeModel model;
    static String key;
    static long flow;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        weft = TestServer.start();
        model = new FakeModel();
        key = weft.newKeyAuth("streaming");
        flow = weft.publishFlow(FLOW.formatted(model.base("/v1")));
    }

    @AfterAll
    static void stop() throws Exception {
        weft.close();
        model.close();
    }

    /** OpenAI's chunk format, as in the built-ins' LlmStreamTest (OpenAI's chat streaming reference). */
    static String chunk(String content, String finish) {
        String delta = content == null ? "{}" : "{\"content\":\"" + content + "\"}";
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"logprobs\":null,\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}],\"usage\":null}\n\n";
    }

    static String usage(int in, int out) {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + in
                + ",\"completion_tokens\":" + out + ",\"total_tokens\":" + (in + out) + "}}\n\n";
    }

    /**
     * A stream that waits for {@code watching} (deltas are live only: the test's stream must be open first), says
     * "Hello", holds until {@code release}, then says " world" and ends.
     */
    static FakeModel.Script held(CountDownLatch watching, CountDownLatch release) {
        return FakeModel.Script.events(new FakeModel.Step.Hold(watching), chunk("Hel", null), chunk("lo", null),
                new FakeModel.Step.Hold(release),
                chunk(" world", null), chunk(null, "stop"), usage(9, 3), "data: [DONE]\n\n");
    }

    private long execute() {
        return weft.post("/api/v1/scade/flow/" + flow + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": {\"q\": \"Say hello\"}}}}", key).json().path("id").asLong();
    }

    private static String text(List<SseClient.Event> events) {
        StringBuilder text = new StringBuilder();
        for (SseClient.Event e : events) if (e.name().equals("delta")) text.append(e.data().path("text").asText());
        return text.toString();
    }

    /** Events until one whose text so far reaches {@code want}. */
    private static List<SseClient.Event> until(SseClient stream, String want) throws InterruptedException {
        List<SseClient.Event> seen = new ArrayList<>();
        while (!text(seen).equals(want)) {
            SseClient.Event event = stream.next(LIMIT);
            assertThat(SseClient.isEnd(event)).as("the stream ended before the text '%s' came: %s", want, seen).isFalse();
            seen.add(event);
        }
        return seen;
    }

    @Test
    void a_streaming_llm_step_publishes_its_text_as_delta_events_before_it_finishes() throws Exception {
        CountDownLatch watching = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        model.enqueue(held(watching, release));
        long id = execute();
        try (SseClient stream = SseClient.open(http, weft.base() + "/api/v1/task/" + id + "/events", key, null)) {
            assertThat(stream.next(LIMIT).name()).isEqualTo("task.started");   // the stream is registered
            watching.countDown();
            List<SseClient.Event> before = until(stream, "Hello");
            SseClient.Event delta = before.get(before.size() - 1);
            assertThat(delta.name()).isEqualTo("delta");
            assertThat(delta.id()).as("delta events are live only: no id to resume from").isNull();
            assertThat(delta.data().path("task_id").asLong()).isEqualTo(id);
            assertThat(delta.data().path("node_id").asText()).isEqualTo("ask");
            assertThat(delta.data().path("attempt").asInt()).isEqualTo(1);
            assertThat(weft.get("/api/v1/task/" + id, key).json().path("status").asInt()).isLessThan(3);

            release.countDown();
            List<SseClient.Event> rest = stream.untilEnd(LIMIT);

            assertThat(text(rest)).isEqualTo(" world");
            SseClient.Event finished = rest.stream().filter(e -> e.name().equals("step.finished")
                    && e.data().path("node_id").asText().equals("ask")).findFirst().orElseThrow();
            assertThat(finished.data().path("outputs").path("text").asText()).isEqualTo("Hello world");
            assertThat(rest.subList(rest.indexOf(finished), rest.size())).noneMatch(e -> e.name().equals("delta"));
            assertThat(rest.get(rest.size() - 1).name()).isEqualTo("task.finished");
        }
        // without a price table (WEFT_LLM_PRICES) the usage has tokens and no cost
        assertThat(weft.get("/api/v1/task/" + id, key).json().path("usage")).isEqualTo(Json.read("""
                {"input_tokens": 9, "output_tokens": 3, "total_tokens": 12, "calls": 1,
                 "by_model": {"gpt-4o-mini-2024-07-18": {"input_tokens": 9, "output_tokens": 3, "total_tokens": 12,
                   "calls": 1}}}"""));
    }

    @Test
    void execute_with_stream_true_answers_the_tasks_events_from_its_id_to_its_end() throws Exception {
        CountDownLatch watching = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        model.enqueue(held(watching, release));
        try (SseClient stream = SseClient.post(http, weft.base() + "/api/v1/scade/flow/" + flow + "/execute?stream=true",
                "{\"node_settings\": {\"start\": {\"data\": {\"q\": \"Say hello\"}}}}", key)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");
            SseClient.Event accepted = stream.next(LIMIT);
            assertThat(accepted.name()).isEqualTo("task.accepted");
            long id = accepted.data().path("id").asLong();
            assertThat(id).isPositive();
            assertThat(accepted.data().path("status").asInt()).isLessThan(3);
            assertThat(stream.next(LIMIT).name()).isEqualTo("task.started");
            watching.countDown();

            until(stream, "Hello");
            release.countDown();
            List<SseClient.Event> rest = stream.untilEnd(LIMIT);

            SseClient.Event last = rest.get(rest.size() - 1);
            assertThat(last.name()).isEqualTo("task.finished");
            assertThat(last.data().path("id").asLong()).isEqualTo(id);
            assertThat(last.data().path("result").path("text").asText()).isEqualTo("Hello world");
        }
    }

    @Test
    void execute_with_a_stream_value_other_than_true_or_false_is_a_400_naming_it() {
        TestServer.Answer answer = weft.post("/api/v1/scade/flow/" + flow + "/execute?stream=yes",
                "{\"node_settings\": {\"start\": {\"data\": {\"q\": \"x\"}}}}", key);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text()).contains("stream").contains("must be true or false");
    }
}
