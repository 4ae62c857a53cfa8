package dev.weft.builtin;

import static dev.weft.builtin.Calls.call;
import static dev.weft.builtin.Calls.json;
import static dev.weft.builtin.Calls.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.NodeException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The image node against a fake speaking OpenAI's images API, with files in an in-memory store. */
class ImageNodeTest {

    private final MemoryFiles files = new MemoryFiles();
    private final ImageNode node = new ImageNode(MediaNodes.services(files));
    private FakeOpenAiMedia fake;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeOpenAiMedia();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private ObjectNode settings(String more) {
        ObjectNode settings = json("{'credential': 'openai', 'prompt': 'a lighthouse at dusk'"
                + (more.isEmpty() ? "" : ", " + more) + "}");
        settings.put("base_url", fake.baseUrl());
        return settings;
    }

    private JsonNode run(ObjectNode settings) throws Exception {
        return node.run(call(settings, Json.object())).data();
    }

    private NodeException failure(ObjectNode settings) {
        return (NodeException) org.assertj.core.api.Assertions.catchThrowable(() -> run(settings));
    }

    @Test
    void generated_images_are_stored_as_weft_files_and_their_urls_emitted() throws Exception {
        JsonNode out = run(settings("'n': 2, 'size': '1024x1024', 'quality': 'low'"));

        FakeOpenAiMedia.Received request = fake.on("/v1/images/generations").get(0);
        assertThat(request.headers().get("authorization")).isEqualTo("Bearer " + FakeOpenAiMedia.KEY);
        assertThat(request.json()).isEqualTo(json("{'model': 'gpt-image-1', 'prompt': 'a lighthouse at dusk',"
                + " 'n': 2, 'size': '1024x1024', 'quality': 'low'}"));
        assertThat(files.saved).hasSize(2);
        for (int i = 0; i < 2; i++) {
            MemoryFiles.File file = files.files.get(out.path("images").get(i).path("file_id").asText());
            assertThat(file.bytes()).isEqualTo(FakeOpenAiMedia.png("a lighthouse at dusk#" + i, FakeOpenAiMedia.IMAGE_SIZE));
            assertThat(file.contentType()).isEqualTo("image/png");
            assertThat(file.name()).isEqualTo("image-" + (i + 1) + ".png");
            assertThat(file.nodeId()).isEqualTo("node");
            assertThat(Json.write(out.path("images").get(i))).isEqualTo(Json.write(json("{'url': '" + MemoryFiles.BASE + file.id()
                    + "', 'file_id': '" + file.id() + "', 'content_type': 'image/png', 'size': " + file.bytes().length
                    + "}")));
        }
        assertThat(out.path("image").asText()).isEqualTo(out.path("images").get(0).path("url").asText());
        assertThat(out.path("revised_prompt").isNull()).isTrue();
    }

    @Test
    void url_answers_are_downloaded_through_the_guard_and_the_revised_prompt_kept() throws Exception {
        JsonNode out = run(settings("'model': 'dall-e-3', 'response_format': 'url', 'style': 'natural'"));

        assertThat(fake.on("/v1/images/generations").get(0).json().path("style").asText()).isEqualTo("natural");
        assertThat(fake.received).extracting(FakeOpenAiMedia.Received::path)
                .anySatisfy(path -> assertThat(path).startsWith("/generated/img-"));
        assertThat(files.saved.get(0).bytes()).isEqualTo(FakeOpenAiMedia.png("a lighthouse at dusk#0", FakeOpenAiMedia.IMAGE_SIZE));
        assertThat(out.path("revised_prompt").asText()).isEqualTo("A detailed picture: a lighthouse at dusk");
    }

    @Test
    void an_edit_sends_the_stored_image_and_mask_as_multipart() throws Exception {
        byte[] cat = FakeOpenAiMedia.png("cat", 16);
        byte[] mask = FakeOpenAiMedia.png("mask", 16);
        String image = files.put("cat", "application/octet-stream", cat);   // uploaded without a type
        String maskId = files.put("mask.png", "image/png", mask);

        JsonNode out = run(settings("'operation': 'edit', 'image': '" + MemoryFiles.BASE + image + "', 'mask': '"
                + maskId + "', 'size': '1024x1024', 'n': 1"));

        FakeOpenAiMedia.Received request = fake.on("/v1/images/edits").get(0);
        assertThat(request.headers().get("content-type")).startsWith("multipart/form-data; boundary=");
        FakeOpenAiMedia.Part sent = request.all("image").get(0);
        assertThat(sent.bytes()).isEqualTo(cat);
        assertThat(sent.contentType()).as("the type its bytes show").isEqualTo("image/png");
        assertThat(sent.fileName()).isEqualTo("cat.png");
        assertThat(request.all("mask").get(0).bytes()).isEqualTo(mask);
        assertThat(request.field("prompt")).isEqualTo("a lighthouse at dusk");
        assertThat(request.field("model")).isEqualTo("gpt-image-1");
        assertThat(request.field("size")).isEqualTo("1024x1024");
        assertThat(request.field("n")).isEqualTo("1");
        assertThat(files.saved.get(0).bytes())
                .isEqualTo(FakeOpenAiMedia.png("edit of 1 image(s): a lighthouse at dusk#0", FakeOpenAiMedia.IMAGE_SIZE));
        assertThat(out.path("image").asText()).isEqualTo(MemoryFiles.BASE + files.saved.get(0).id());
    }

    @Test
    void an_edit_of_several_images_sends_each_as_image_brackets() throws Exception {
        String a = files.put("a.png", "image/png", FakeOpenAiMedia.png("a", 8));
        String b = files.put("b.png", "image/png", FakeOpenAiMedia.png("b", 8));
        ObjectNode settings = settings("'operation': 'edit'");
        settings.putArray("image").add(a).add(b);

        run(settings);

        FakeOpenAiMedia.Received request = fake.on("/v1/images/edits").get(0);
        assertThat(request.all("image")).isEmpty();
        assertThat(request.all("image[]")).extracting(FakeOpenAiMedia.Part::fileName).containsExactly("a.png", "b.png");
    }

    @Test
    void an_image_to_edit_that_is_no_image_is_refused_before_anything_is_sent() {
        String text = files.put("notes.png", "image/png", "just text".getBytes(StandardCharsets.UTF_8));

        NodeException e = failure(settings("'operation': 'edit', 'image': '" + text + "'"));

        assertThat(e.type()).isEqualTo(ImageNode.NOT_AN_IMAGE);
        assertThat(e.getMessage()).startsWith("settings.image: file " + text + " is not a PNG");
        assertThat(fake.received).isEmpty();
    }

    @Test
    void an_empty_image_to_edit_is_refused_naming_the_setting() {
        String empty = files.put("empty.png", "image/png", new byte[0]);

        NodeException e = failure(settings("'operation': 'edit', 'image': '" + empty + "'"));

        assertThat(e.type()).isEqualTo(MediaClient.FILE_EMPTY);
        assertThat(e.getMessage()).isEqualTo("settings.image: file " + empty + " is empty (0 bytes): there is"
                + " nothing to send");
    }

    @Test
    void a_provider_500_fails_with_its_message_after_the_retries() {
        for (int i = 0; i < 3; i++) fake.failNext(500, "server_error", null, "The server had an error while processing your request.");

        NodeException e = failure(settings("'max_retries': 2"));

        assertThat(e.type()).isEqualTo(MediaClient.PROVIDER_ERROR);
        assertThat(e.getMessage()).isEqualTo("POST " + fake.baseUrl() + "/images/generations answered 500:"
                + " server_error: The server had an error while processing your request.");
        assertThat(e.retryable()).isTrue();
        assertThat(fake.on("/v1/images/generations")).hasSize(3);
        assertThat(files.saved).isEmpty();
    }

    @Test
    void a_rate_limit_is_retried_as_retry_after_asks() throws Exception {
        fake.failNext(429, "requests", "rate_limit_exceeded", "Rate limit reached for gpt-image-1.");

        JsonNode out = run(settings(""));

        assertThat(fake.on("/v1/images/generations")).hasSize(2);
        assertThat(out.path("images")).hasSize(1);
    }

    @Test
    void an_answer_that_is_no_image_fails_and_stores_nothing() {
        String page = Base64.getEncoder().encodeToString("<html>Service Unavailable</html>".getBytes(StandardCharsets.UTF_8));
        fake.answerNext(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"created\": 1, \"data\": [{\"b64_json\": \"" + page + "\"}]}").build());

        NodeException e = failure(settings(""));

        assertThat(e.type()).isEqualTo(ImageNode.NOT_AN_IMAGE);
        assertThat(e.getMessage()).contains("are not a PNG, JPEG, GIF or WebP image (they begin: \"<html>Service");
        assertThat(e.retryable()).as("another try would pay for another image").isFalse();
        assertThat(files.saved).isEmpty();
    }

    @Test
    void an_answer_without_images_is_invalid() {
        fake.answerNext(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"created\": 1, \"data\": []}").build());

        assertThat(failure(settings("")).type()).isEqualTo(MediaClient.ANSWER_INVALID);
    }

    @Test
    void a_missing_credential_a_bound_one_and_a_refused_key_fail_clearly() {
        ObjectNode missing = settings("");
        missing.put("credential", "nope");
        ObjectNode bound = settings("");
        bound.put("credential", "openai-only");
        ObjectNode wrong = settings("");
        wrong.put("credential", "wrong");

        assertThat(failure(missing).type()).isEqualTo(StoredSecrets.MISSING);
        NodeException refused = failure(bound);
        assertThat(refused.type()).isEqualTo(StoredSecrets.REFUSED);
        assertThat(refused.getMessage()).contains("may be sent only to api.openai.com, not to 127.0.0.1");
        assertThat(fake.received).isEmpty();
        NodeException e = failure(wrong);
        assertThat(e.type()).isEqualTo(MediaClient.PROVIDER_ERROR);
        assertThat(e.getMessage()).contains("answered 401: invalid_request_error: Incorrect API key provided: ***.")
                .doesNotContain("sk-wrong");
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void settings_are_checked_at_save() {
        assertThat(problems(node, "{'prompt': 'x', 'operation': 'edit'}"))
                .containsExactly("image: is required when operation is edit");
        assertThat(problems(node, "{'prompt': 'x', 'mask': 'f1'}")).containsExactly("mask: is used only when operation is edit");
        assertThat(problems(node, "{'prompt': 'x', 'base_url': 'ftp://x', 'max_bytes': " + (MediaNodes.FILE_MAX + 1) + "}"))
                .containsExactlyInAnyOrder("base_url: must be an absolute http(s) URL such as https://api.example.com/items (got ftp://x)",
                        "max_bytes: must be at most " + MediaNodes.FILE_MAX + ", this Weft's file size limit (got "
                                + (MediaNodes.FILE_MAX + 1) + ")");
        assertThat(problems(node, "{'prompt': 'x', 'operation': 'edit', 'image': '{{start.photo}}'}")).isEmpty();
        assertThat(problems(node, "{'operation': 'edit', 'image': 'f1'}")).isNotEmpty();
        assertThat(List.of()).isEmpty();
    }
}
