package dev.weft.e2e;

import dev.weft.builtin.FakeModel;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import dev.weft.event.LlmPrices;
import dev.weft.json.Json;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Usage and cost: a task's JSON sums the tokens of its model steps, per model, priced by the admin's table; the
 * Prometheus counters {@code weft_llm_calls_total} and {@code weft_llm_tokens_total} count them.
 */
class UsageTest {

    static final Duration LIMIT = Duration.ofSeconds(10);
    static final String FLOW = """
            {"name": "two models", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {"q": {"type": "string", "required": true}}}},
              {"id": "draft", "type": "llm", "settings": {"base_url": "%1$s", "model": "gpt-4o-mini", "user": "{{start.q}}",
                "max_retries": 0}},
              {"id": "review", "type": "llm", "settings": {"base_url": "%1$s", "model": "%2$s", "user": "{{draft.text}}",
                "max_retries": 0}},
              {"id": "end", "type": "end", "settings": {"outputs": {"text": {"type": "string"}}}}],
             "edges": [
              {"from_node": "start", "to_node": "draft", "fields_mapping": [{"from_field": "q", "to_field": "q"}]},
              {"from_node": "draft", "to_node": "review", "fields_mapping": [{"from_field": "text", "to_field": "draft"}]},
              {"from_node": "review", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "text"}]}]}""";

    static TestServer weft;
    static FakeModel model;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        // gpt-4o-mini priced (it answers as gpt-4o-mini-2024-07-18: the longest entry it begins with prices it)
        weft = TestServer.startWithPrices(new LlmPrices(Map.of("gpt-4o-mini", new LlmPrices.Price(0.15, 0.60),
                "gpt-4o-mini-2024", new LlmPrices.Price(0.30, 1.20))));
        model = new FakeModel();
        key = weft.newKeyAuth("usage");
    }

    @AfterAll
    static void stop() throws Exception {
        weft.close();
        model.close();
    }

    /** One streamed answer (OpenAI's chunk format, with the include_usage chunk before [DONE]). */
    static FakeModel.Script answer(String answeredModel, String text, int in, int out) {
        String head = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,\"model\":\""
                + answeredModel + "\",";
        return FakeModel.Script.events(
                head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"" + text
                        + "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n",
                head + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n",
                head + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + in + ",\"completion_tokens\":" + out
                        + ",\"total_tokens\":" + (in + out) + "}}\n\n",
                "data: [DONE]\n\n");
    }

    private JsonNode run(String reviewModel) {
        long flow = weft.publishFlow(FLOW.formatted(model.base("/v1"), reviewModel));
        long id = weft.post("/api/v1/scade/flow/" + flow + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": {\"q\": \"Write\"}}}}", key).json().path("id").asLong();
        assertThat(weft.awaitTask(id, key, LIMIT).path("status").asInt()).isEqualTo(3);
        return weft.get("/api/v1/task/" + id, key).json();
    }

    @Test
    void a_tasks_usage_sums_its_model_steps_per_model_with_the_cost_of_the_price_table() {
        model.enqueue(answer("gpt-4o-mini-2024-07-18", "draft", 1_000, 2_000));
        model.enqueue(answer("gpt-4o-mini-2024-07-18", "final", 3_000, 4_000));

        JsonNode usage = run("gpt-4o-mini").path("usage");

        // the longer entry gpt-4o-mini-2024 prices it: (4,000 x 0.30 + 6,000 x 1.20) / 1,000,000 = 0.0084
        assertThat(usage).isEqualTo(Json.read("""
                {"input_tokens": 4000, "output_tokens": 6000, "total_tokens": 10000, "calls": 2, "cost": 0.0084,
                 "by_model": {"gpt-4o-mini-2024-07-18": {"input_tokens": 4000, "output_tokens": 6000,
                   "total_tokens": 10000, "calls": 2, "cost": 0.0084}}}"""));
    }

    @Test
    void a_model_without_a_price_has_no_cost_and_the_total_has_none_either() {
        model.enqueue(answer("gpt-4o-mini-2024-07-18", "draft", 1_000_000, 0));
        model.enqueue(answer("gpt-4o-2024-08-06", "final", 10, 20));

        JsonNode usage = run("gpt-4o").path("usage");

        assertThat(usage.path("input_tokens").asLong()).isEqualTo(1_000_010);
        assertThat(usage.path("output_tokens").asLong()).isEqualTo(20);
        assertThat(usage.path("calls").asInt()).isEqualTo(2);
        assertThat(usage.has("cost")).as("a partial sum would read as the whole").isFalse();
        assertThat(usage.path("by_model").path("gpt-4o-mini-2024-07-18").path("cost").asDouble()).isEqualTo(0.30);
        assertThat(usage.path("by_model").path("gpt-4o-2024-08-06").has("cost")).isFalse();
        assertThat(usage.path("by_model").path("gpt-4o-2024-08-06").path("output_tokens").asLong()).isEqualTo(20);
    }

    @Test
    void model_calls_and_tokens_are_counted_for_prometheus_by_provider_model_and_outcome() {
        model.enqueue(answer("gpt-4o-mini-2024-07-18", "draft", 7, 5));
        model.enqueue(FakeModel.Script.status(401, "{\"error\": {\"message\": \"Incorrect API key provided\","
                + " \"type\": \"invalid_request_error\"}}"));
        String before = weft.get("/metrics", null).text();

        long flow = weft.publishFlow(FLOW.formatted(model.base("/v1"), "o1"));
        long id = weft.post("/api/v1/scade/flow/" + flow + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": {\"q\": \"Write\"}}}}", key).json().path("id").asLong();
        weft.awaitTask(id, key, LIMIT);
        String after = weft.get("/metrics", null).text();

        String ok = "weft_llm_calls_total{model=\"gpt-4o-mini-2024-07-18\",outcome=\"ok\",provider=\"openai\"}";
        String failed = "weft_llm_calls_total{model=\"unknown\",outcome=\"failed\",provider=\"unknown\"}";
        String input = "weft_llm_tokens_total{kind=\"input\",model=\"gpt-4o-mini-2024-07-18\",provider=\"openai\"}";
        String output = "weft_llm_tokens_total{kind=\"output\",model=\"gpt-4o-mini-2024-07-18\",provider=\"openai\"}";
        assertThat(value(after, ok) - value(before, ok)).isEqualTo(1);
        assertThat(value(after, failed) - value(before, failed)).isEqualTo(1);
        assertThat(value(after, input) - value(before, input)).isEqualTo(7);
        assertThat(value(after, output) - value(before, output)).isEqualTo(5);
    }

    /** A sample's value in the Prometheus text, 0 when it is not there yet. */
    private static double value(String scrape, String sample) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(sample + " ")) return Double.parseDouble(line.substring(sample.length() + 1).trim());
        }
        return 0;
    }
}
