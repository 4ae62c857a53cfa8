package dev.weft.builtin;

import static dev.weft.builtin.Calls.call;
import static dev.weft.builtin.Calls.json;
import static dev.weft.builtin.Calls.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.Credentials;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Images as input of the llm and agent nodes, as each provider's wire protocol takes them: OpenAI-compatible
 * {@code {"type": "image_url", "image_url": {"url"}}} parts after the text (platform.openai.com/docs/guides/vision),
 * Anthropic {@code {"type": "image", "source": {"type": "base64", "media_type", "data"} | {"type": "url", "url"}}}
 * blocks before the text (docs.anthropic.com/en/docs/build-with-claude/vision). Weft files go inline as base64.
 */
class VisionInputTest {

    private static final String KEY = "sk-test-0123456789abcdef";
    private static final Credentials VAULT = name -> Optional.of(new Credentials.Credential(KEY, List.of()));
    private static final String CAT = "https://example.com/cat.jpg";
    private static final String BASE64 = Base64.getEncoder().encodeToString(FakeReplicate.PNG);

    private final MockWebServer server = new MockWebServer();
    private final MemoryFiles files = new MemoryFiles();
    private final Images images = new Images(files, 1024 * 1024);
    private final HttpNode.Options options = new HttpNode.Options(true, 64 * 1024, 0);
    private final LlmNode llm = new LlmNode(options, VAULT, d -> { }, images);
    private final AgentNode agent = new AgentNode(options, VAULT, FlowRuns.local(), McpTools.NONE, Conversations.NONE,
            Knowledge.NONE, null, Async.sharedTimer(), Clock.systemUTC(), images);
    private String photo;

    @BeforeEach
    void start() throws Exception {
        server.start(InetAddress.getByName("127.0.0.1"), 0);
        photo = files.upload(FakeReplicate.PNG, "photo.png", "image/png");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ObjectNode settings(String provider, String images) {
        ObjectNode settings = json("{'provider': '" + provider + "', 'credential': 'k', 'model': 'vision-model',"
                + " 'user': 'What is in these pictures?', 'stream': false}");
        settings.set("images", Json.read(images.replace('\'', '"').replace("PHOTO", photo).replace("CAT", CAT)));
        settings.put("base_url", "http://127.0.0.1:" + server.getPort() + ("openai".equals(provider) ? "/v1" : ""));
        return settings;
    }

    private static MockResponse answer(String provider) {
        String body = "openai".equals(provider)
                ? "{\"id\": \"chatcmpl-1\", \"object\": \"chat.completion\", \"model\": \"vision-model\", \"choices\":"
                + " [{\"index\": 0, \"message\": {\"role\": \"assistant\", \"content\": \"A pixel and a cat.\"},"
                + " \"finish_reason\": \"stop\"}], \"usage\": {\"prompt_tokens\": 900, \"completion_tokens\": 6}}"
                : "{\"id\": \"msg_01\", \"type\": \"message\", \"role\": \"assistant\", \"model\": \"vision-model\","
                + " \"content\": [{\"type\": \"text\", \"text\": \"A pixel and a cat.\"}], \"stop_reason\": \"end_turn\","
                + " \"usage\": {\"input_tokens\": 900, \"output_tokens\": 6}}";
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    private static JsonNode quoted(String singleQuoted) {
        return Json.read(singleQuoted.replace('\'', '"'));
    }

    private JsonNode sentUserContent() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        JsonNode messages = Json.read(request.getBody().utf8()).get("messages");
        return messages.get(messages.size() - 1).get("content");
    }

    private static final String OPENAI_PARTS = "[{'type': 'text', 'text': 'What is in these pictures?'},"
            + " {'type': 'image_url', 'image_url': {'url': 'data:image/png;base64," + BASE64 + "'}},"
            + " {'type': 'image_url', 'image_url': {'url': '" + CAT + "'}}]";
    private static final String ANTHROPIC_BLOCKS = "[{'type': 'image', 'source': {'type': 'base64', 'media_type':"
            + " 'image/png', 'data': '" + BASE64 + "'}}, {'type': 'image', 'source': {'type': 'url', 'url': '" + CAT
            + "'}}, {'type': 'text', 'text': 'What is in these pictures?'}]";

    @Test
    void llm_sends_openai_image_url_parts_after_the_text_with_weft_files_as_data_urls() throws Exception {
        server.enqueue(answer("openai"));

        NodeOutput output = llm.run(call(settings("openai", "['PHOTO', 'CAT']"), Json.object()));

        assertThat(output.data().get("text").asText()).isEqualTo("A pixel and a cat.");
        assertThat(sentUserContent()).isEqualTo(quoted(OPENAI_PARTS));
    }

    @Test
    void llm_sends_anthropic_image_blocks_before_the_text() throws Exception {
        server.enqueue(answer("anthropic"));

        llm.run(call(settings("anthropic", "['PHOTO', {'url': 'CAT', 'file_id': null}]"), Json.object()));

        assertThat(sentUserContent()).isEqualTo(quoted(ANTHROPIC_BLOCKS));
    }

    @Test
    void llm_without_images_sends_the_prompt_as_plain_text() throws Exception {
        server.enqueue(answer("openai"));

        llm.run(call(settings("openai", "[]"), Json.object()));

        assertThat(sentUserContent()).isEqualTo(Json.read("\"What is in these pictures?\""));
    }

    @Test
    void agent_sends_openai_image_parts_and_its_messages_name_the_images_as_given() throws Exception {
        server.enqueue(answer("openai"));

        NodeOutput output = agent.run(call(settings("openai", "['PHOTO', 'CAT']"), Json.object()));

        assertThat(sentUserContent()).isEqualTo(quoted(OPENAI_PARTS));
        assertThat(output.data().get("messages").get(0)).isEqualTo(Json.object().put("role", "user")
                .put("content", "What is in these pictures?").set("images", Json.MAPPER.createArrayNode()
                        .add(photo).add(CAT)));
    }

    @Test
    void agent_sends_anthropic_image_blocks_with_a_single_image_reference() throws Exception {
        server.enqueue(answer("anthropic"));

        agent.run(call(settings("anthropic", "'PHOTO'"), Json.object()));

        assertThat(sentUserContent()).isEqualTo(quoted("[{'type': 'image', 'source': {'type': 'base64', 'media_type':"
                + " 'image/png', 'data': '" + BASE64 + "'}}, {'type': 'text', 'text': 'What is in these pictures?'}]"));
    }

    @Test
    void a_file_that_is_not_an_image_fails_the_step_naming_it_before_any_request() {
        String pdf = files.upload("%PDF-1.7".getBytes(), "doc.pdf", "application/pdf");
        ObjectNode settings = settings("openai", "['CAT', 'X']");
        settings.set("images", Json.MAPPER.createArrayNode().add(CAT).add(pdf));

        assertThatThrownBy(() -> llm.run(call(settings, Json.object()))).isInstanceOfSatisfying(NodeException.class,
                e -> assertThat(e.getMessage()).isEqualTo("settings.images[1] (file f2): is application/pdf, not an image"));
        assertThatThrownBy(() -> agent.run(call(settings("openai", "['not a url']"), Json.object())))
                .isInstanceOfSatisfying(NodeException.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "settings.images[0]: must be an http(s) URL, a data URL or one of this Weft's files (got 'not a url')"));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void images_may_be_references_at_save_and_must_be_text_or_lists() {
        assertThat(problems(llm, "{'model': 'm', 'user': 'u', 'images': '{{start.photos}}'}")).isEmpty();
        assertThat(problems(agent, "{'model': 'm', 'user': 'u', 'images': ['{{files.url}}', 'https://x.org/a.png']}"))
                .isEmpty();
        assertThat(problems(llm, "{'model': 'm', 'user': 'u', 'images': 5}")).hasSize(1);
    }
}
