package dev.weft.builtin;

import static dev.weft.builtin.Calls.call;
import static dev.weft.builtin.Calls.json;
import static dev.weft.builtin.Calls.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.Credentials;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.registry.RegisteredType;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The llm node against a local server speaking OpenAI's and Anthropic's wire protocols. */
class LlmNodeTest {

    private static final String KEY = "sk-test-0123456789abcdef";
    private static final Credentials VAULT = name -> switch (name) {
        case "provider" -> Optional.of(new Credentials.Credential(KEY, List.of()));
        case "openai-only" -> Optional.of(new Credentials.Credential(KEY, List.of("api.openai.com", "*.openai.azure.com")));
        default -> Optional.empty();
    };

    private final MockWebServer server = new MockWebServer();
    private final List<Duration> waits = new ArrayList<>();
    private final LlmNode node = new LlmNode(new HttpNode.Options(true, 64 * 1024, 0), VAULT, waits::add);

    @BeforeEach
    void start() throws Exception {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String base(String path) {
        return "http://127.0.0.1:" + server.getPort() + path;
    }

    private ObjectNode openai(String more) {
        ObjectNode settings = json("{'provider': 'openai', 'credential': 'provider', 'model': 'gpt-4o-mini',"
                + " 'user': 'Say hi'" + (more.isEmpty() ? "" : ", " + more) + "}");
        settings.put("base_url", base("/v1"));
        return settings;
    }

    private ObjectNode anthropic(String more) {
        ObjectNode settings = json("{'provider': 'anthropic', 'credential': 'provider', 'model': 'claude-sonnet-4-5',"
                + " 'user': 'Say hi'" + (more.isEmpty() ? "" : ", " + more) + "}");
        settings.put("base_url", base(""));
        return settings;
    }

    private static MockResponse jsonAnswer(int code, String body) {
        return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
    }

    private static String completion(String content, String finish) {
        ObjectNode body = json("{'id': 'chatcmpl-1', 'object': 'chat.completion', 'created': 1764000000,"
                + " 'model': 'gpt-4o-mini-2024-07-18', 'choices': [{'index': 0, 'message': {'role': 'assistant',"
                + " 'content': ''}, 'logprobs': null, 'finish_reason': '" + finish + "'}],"
                + " 'usage': {'prompt_tokens': 12, 'completion_tokens': 5, 'total_tokens': 17}}");
        ((ObjectNode) body.get("choices").get(0).get("message")).put("content", content);
        return Json.write(body);
    }

    private static String message(String text, String stop) {
        ObjectNode body = json("{'id': 'msg_01', 'type': 'message', 'role': 'assistant', 'model': 'claude-sonnet-4-5-20250929',"
                + " 'content': [{'type': 'text', 'text': ''}], 'stop_reason': '" + stop + "', 'stop_sequence': null,"
                + " 'usage': {'input_tokens': 20, 'output_tokens': 7}}");
        ((ObjectNode) body.get("content").get(0)).put("text", text);
        return Json.write(body);
    }

    private static NodeException failure(Runnable run) {
        try {
            run.run();
        } catch (NodeException e) {
            return e;
        }
        throw new AssertionError("the node did not fail");
    }

    private NodeException failureOf(ObjectNode settings) {
        return failure(() -> {
            try {
                node.run(call(settings, Json.object()));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void openai_gets_a_chat_completion_request_and_its_answer_becomes_text_usage_and_model() throws Exception {
        server.enqueue(jsonAnswer(200, completion("Hi there!", "stop")));

        NodeOutput output = node.run(call(openai("'system': 'Be brief.', 'temperature': 0.2, 'max_tokens': 50,"
                + " 'stop': ['END'], 'stream': false"), Json.object()));

        assertThat(output.data()).isEqualTo(json("{'text': 'Hi there!', 'usage': {'input_tokens': 12,"
                + " 'output_tokens': 5, 'total_tokens': 17}, 'model': 'gpt-4o-mini-2024-07-18', 'finish_reason': 'stop',"
                + " 'provider': 'openai'}"));
        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo("/v1/chat/completions");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json");
        assertThat(Json.read(request.getBody().utf8())).isEqualTo(json("{'model': 'gpt-4o-mini', 'messages': ["
                + "{'role': 'system', 'content': 'Be brief.'}, {'role': 'user', 'content': 'Say hi'}],"
                + " 'temperature': 0.2, 'max_tokens': 50, 'stop': ['END']}"));
    }

    @Test
    void anthropic_gets_a_messages_request_and_its_answer_becomes_text_usage_and_model() throws Exception {
        server.enqueue(jsonAnswer(200, message("Hello!", "end_turn")));

        NodeOutput output = node.run(call(anthropic("'system': 'Be brief.', 'temperature': 0.5, 'stop': 'END',"
                + " 'stream': false"),
                Json.object()));

        assertThat(output.data()).isEqualTo(json("{'text': 'Hello!', 'usage': {'input_tokens': 20,"
                + " 'output_tokens': 7, 'total_tokens': 27}, 'model': 'claude-sonnet-4-5-20250929',"
                + " 'finish_reason': 'end_turn', 'provider': 'anthropic'}"));
        RecordedRequest request = server.takeRequest();
        assertThat(request.getTarget()).isEqualTo("/v1/messages");
        assertThat(request.getHeaders().get("x-api-key")).isEqualTo(KEY);
        assertThat(request.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(request.getHeaders().get("Authorization")).isNull();
        assertThat(Json.read(request.getBody().utf8())).isEqualTo(json("{'model': 'claude-sonnet-4-5',"
                + " 'max_tokens': 1024, 'system': 'Be brief.', 'messages': [{'role': 'user', 'content': 'Say hi'}],"
                + " 'temperature': 0.5, 'stop_sequences': ['END']}"));
    }

    @Test
    void a_prompt_that_is_one_reference_of_json_is_sent_as_that_json_text() throws Exception {
        server.enqueue(jsonAnswer(200, completion("ok", "stop")));
        ObjectNode settings = openai("'stream': false");
        settings.set("user", json("{'order': 7, 'items': ['tea']}"));   // "{{start.order}}" rendered to an object

        node.run(call(RegisteredType.of(node).rendered(settings), Json.object()));

        assertThat(Json.read(server.takeRequest().getBody().utf8()).path("messages").get(0)).isEqualTo(
                Json.object().put("role", "user").put("content", "{\"order\":7,\"items\":[\"tea\"]}"));
    }

    @Test
    void a_server_that_needs_no_key_gets_no_authorization_header() throws Exception {
        server.enqueue(jsonAnswer(200, completion("ok", "stop")));
        ObjectNode settings = openai("");
        settings.remove("credential");

        node.run(call(settings, Json.object()));

        assertThat(server.takeRequest().getHeaders().get("Authorization")).isNull();
    }

    @Test
    void json_output_asks_for_the_schema_and_emits_the_parsed_answer() throws Exception {
        server.enqueue(jsonAnswer(200, completion("{\"city\": \"Paris\", \"population\": 2100000}", "stop")));
        ObjectNode settings = openai("'json_schema': {'type': 'object', 'required': ['city'],"
                + " 'properties': {'city': {'type': 'string'}, 'population': {'type': 'integer'}}}");

        NodeOutput output = node.run(call(settings, Json.object()));

        assertThat(output.data().get("json")).isEqualTo(json("{'city': 'Paris', 'population': 2100000}"));
        assertThat(Json.read(server.takeRequest().getBody().utf8()).get("response_format")).isEqualTo(json(
                "{'type': 'json_schema', 'json_schema': {'name': 'answer', 'schema': {'type': 'object',"
                        + " 'required': ['city'], 'properties': {'city': {'type': 'string'},"
                        + " 'population': {'type': 'integer'}}}}}"));
    }

    @Test
    void anthropic_json_output_is_asked_for_in_the_system_prompt_and_code_fences_are_dropped() throws Exception {
        server.enqueue(jsonAnswer(200, message("```json\n{\"ok\": true}\n```", "end_turn")));

        NodeOutput output = node.run(call(anthropic("'json': true"), Json.object()));

        assertThat(output.data().get("json")).isEqualTo(json("{'ok': true}"));
        assertThat(Json.read(server.takeRequest().getBody().utf8()).get("system").asText())
                .startsWith("Answer with one JSON value only");
    }

    @Test
    void an_answer_that_breaks_the_schema_fails_with_llm_output_invalid_naming_the_field() {
        server.enqueue(jsonAnswer(200, completion("{\"population\": \"many\"}", "stop")));

        NodeException e = failureOf(openai("'json_schema': {'type': 'object', 'required': ['city'],"
                + " 'properties': {'population': {'type': 'integer'}}}"));

        assertThat(e.type()).isEqualTo("llm_output_invalid");
        assertThat(e.getMessage()).isEqualTo("the model's answer does not match json_schema: population: must be"
                + " a whole number (got text); city: is required");
    }

    @Test
    void an_answer_that_is_not_json_fails_with_llm_output_invalid_and_says_when_it_was_cut_off() {
        server.enqueue(jsonAnswer(200, message("{\"items\": [1, 2", "max_tokens")));

        NodeException e = failureOf(anthropic("'json': true, 'max_tokens': 5"));

        assertThat(e.type()).isEqualTo("llm_output_invalid");
        assertThat(e.getMessage()).startsWith("the model's answer is not JSON (the answer was cut off at max_tokens): ")
                .endsWith("; it begins: {\"items\": [1, 2");
    }

    @Test
    void a_429_is_retried_after_the_wait_retry_after_asks_for() throws Exception {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "3")
                .addHeader("Content-Type", "application/json")
                .body("{\"error\": {\"message\": \"Rate limit reached for requests\", \"type\": \"requests\","
                        + " \"param\": null, \"code\": \"rate_limit_exceeded\"}}").build());
        server.enqueue(jsonAnswer(200, completion("done", "stop")));

        NodeOutput output = node.run(call(openai("'timeout_ms': 10000"), Json.object()));

        assertThat(output.data().get("text").asText()).isEqualTo("done");
        assertThat(waits).containsExactly(Duration.ofSeconds(3));
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void anthropic_overloaded_answers_are_retried_with_backoff_then_fail_with_the_error_body() {
        String overloaded = "{\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}";
        for (int i = 0; i < 3; i++) server.enqueue(jsonAnswer(529, overloaded));

        NodeException e = failureOf(anthropic("'max_retries': 2"));

        assertThat(e.type()).isEqualTo("llm_status");
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).isEqualTo("anthropic http://127.0.0.1:" + server.getPort()
                + "/v1/messages answered 529: overloaded_error: Overloaded");
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void a_refused_key_fails_at_once_without_the_key_in_the_message() {
        server.enqueue(jsonAnswer(401, "{\"error\": {\"message\": \"Incorrect API key provided: " + KEY + ".\","
                + " \"type\": \"invalid_request_error\", \"param\": null, \"code\": \"invalid_api_key\"}}"));

        NodeException e = failureOf(openai(""));

        assertThat(e.type()).isEqualTo("llm_status");
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).endsWith("answered 401: invalid_request_error: Incorrect API key provided: ***.")
                .doesNotContain(KEY);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void an_anthropic_bad_request_names_its_error_type_and_message() {
        server.enqueue(jsonAnswer(400, "{\"type\": \"error\", \"error\": {\"type\": \"invalid_request_error\","
                + " \"message\": \"max_tokens: Field required\"}, \"request_id\": \"req_1\"}"));

        NodeException e = failureOf(anthropic(""));

        assertThat(e.getMessage()).endsWith("answered 400: invalid_request_error: max_tokens: Field required");
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void a_slow_answer_fails_with_timeout() {
        server.enqueue(new MockResponse.Builder().code(200).headersDelay(2, TimeUnit.SECONDS)
                .body(completion("late", "stop")).build());

        NodeException e = failureOf(openai("'timeout_ms': 150"));

        assertThat(e.type()).isEqualTo("timeout");
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).endsWith("/v1/chat/completions gave no complete answer within 150 ms");
    }

    @Test
    void a_retry_after_beyond_the_time_limit_fails_at_once_as_retryable() {
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "120")
                .body("{\"error\": {\"message\": \"slow down\", \"type\": \"rate_limit\"}}").build());

        NodeException e = failureOf(openai("'timeout_ms': 5000"));

        assertThat(e.type()).isEqualTo("llm_status");
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).endsWith("answered 429: rate_limit: slow down (a retry in 120000 ms would pass"
                + " the time limit of 5000 ms)");
        assertThat(waits).isEmpty();
    }

    @Test
    void a_credential_that_is_not_stored_fails_before_any_request() {
        ObjectNode settings = openai("");
        settings.put("credential", "missing");

        NodeException e = failureOf(settings);

        assertThat(e.type()).isEqualTo("credential_missing");
        assertThat(e.retryable()).isFalse();
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void a_credential_bound_to_other_hosts_is_not_sent() {
        ObjectNode settings = openai("");
        settings.put("credential", "openai-only");

        NodeException e = failureOf(settings);

        assertThat(e.type()).isEqualTo("credential_refused");
        assertThat(e.getMessage()).isEqualTo("settings.credential: credential 'openai-only' may be sent only to"
                + " api.openai.com, *.openai.azure.com, not to 127.0.0.1");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void private_addresses_are_refused_unless_the_operator_allows_them() {
        LlmNode guarded = new LlmNode(HttpNode.Options.DEFAULT, VAULT, waits::add);

        assertThatThrownBy(() -> guarded.run(call(openai(""), Json.object())))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.type()).isEqualTo("address_refused"));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void settings_problems_are_named_by_path() {
        assertThat(problems(node, "{'provider': 'gemini', 'temperature': 3, 'max_tokens': 0, 'stop': [1],"
                + " 'base_url': 'ftp://x', 'json_schema': {'type': 'nonsense'}}"))
                .containsExactlyInAnyOrder(
                        "model: is required",
                        "user: is required",
                        "provider: must be one of openai, anthropic (got \"gemini\")",
                        "temperature: must be at most 2 (got 3)",
                        "max_tokens: must be at least 1 (got 0)",
                        "stop: must be text or a list of text (got an array)",
                        "base_url: must be an absolute http(s) URL such as https://api.example.com/items (got ftp://x)",
                        "json_schema.type: must be one of array, boolean, integer, null, number, object, string (got \"nonsense\")");
        assertThat(problems(node, "{'provider': 'anthropic', 'model': 'm', 'user': 'u', 'temperature': 1.5}"))
                .containsExactly("temperature: must be at most 1 for provider anthropic (got 1.5)");
        assertThat(problems(node, "{'model': '{{start.model}}', 'user': '{{start.q}}', 'temperature': '{{start.t}}'}"))
                .isEmpty();
    }
}
