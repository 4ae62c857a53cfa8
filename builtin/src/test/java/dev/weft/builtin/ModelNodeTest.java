package dev.weft.builtin;

import static dev.weft.builtin.Calls.json;
import static dev.weft.builtin.Calls.problems;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.engine.Timer;
import dev.weft.engine.testing.ManualClock;
import dev.weft.engine.testing.ManualTimer;
import dev.weft.json.Json;
import dev.weft.node.Credentials;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.task.ErrorTypes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The model node against a fake of Replicate's prediction API on loopback ({@link FakeReplicate}): create by model
 * or version, {@code Prefer: wait}, reads on the test's manual timer, failure, cancel at the time limit, output files
 * stored, Weft files sent as data URLs.
 */
class ModelNodeTest {

    private static final String TOKEN = "r8_test0123456789abcdef";
    private static final Credentials VAULT = name -> "replicate".equals(name)
            ? Optional.of(new Credentials.Credential(TOKEN, List.of())) : Optional.empty();
    private static final String VERSION = "5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa";

    private final FakeReplicate fake = newFake();
    private final ManualClock clock = new ManualClock();
    private final ManualTimer manual = new ManualTimer(clock);
    /** When each timer entry was asked for: a test waits for the node's next read to be scheduled. */
    private final BlockingQueue<Instant> scheduled = new LinkedBlockingQueue<>();
    /** Signalled each time a timer entry is cancelled. */
    private final BlockingQueue<Instant> dropped = new LinkedBlockingQueue<>();
    private final Timer timer = (at, action) -> {
        Runnable cancel = manual.schedule(at, action);
        scheduled.add(at);
        return () -> {
            cancel.run();
            dropped.add(at);
        };
    };
    private final MemoryFiles files = new MemoryFiles();
    private final ModelNode node = new ModelNode(new HttpNode.Options(true, 64 * 1024, 3), VAULT, FlowRuns.local(),
            timer, clock, files, 10 * 1024 * 1024);

    private static FakeReplicate newFake() {
        try {
            return new FakeReplicate(TOKEN);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private ObjectNode settings(String more) {
        ObjectNode settings = json("{'credential': 'replicate', " + more + "}");
        settings.put("base_url", fake.base());
        return settings;
    }

    private CompletableFuture<NodeOutput> start(ObjectNode settings) {
        return node.runAsync(new NodeCall(7, "paint", settings, Json.object(), 1, Duration.ofSeconds(60)))
                .toCompletableFuture();
    }

    /** The delay until the next timer entry the node asks for (the time limit's entry comes first). */
    private Duration nextWait() throws InterruptedException {
        Instant at = scheduled.poll(5, TimeUnit.SECONDS);
        assertThat(at).as("the node scheduled its next read").isNotNull();
        return Duration.between(clock.instant(), at);
    }

    /** Waits, on the signal of each cancelled entry, until no timer entry is left (the node dropped them all). */
    private void awaitNoTimerEntries() throws InterruptedException {
        while (manual.pending() > 0) {
            assertThat(dropped.poll(5, TimeUnit.SECONDS)).as("a timer entry was dropped").isNotNull();
        }
    }

    private RecordedRequest request() throws InterruptedException {
        RecordedRequest request = fake.requests.poll(5, TimeUnit.SECONDS);
        assertThat(request).as("a request reached the fake").isNotNull();
        return request;
    }

    private static NodeException failure(CompletableFuture<NodeOutput> answer) {
        try {
            answer.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(NodeException.class);
            return (NodeException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError("the step did not fail in time", e);
        }
        throw new AssertionError("the step succeeded");
    }

    @Test
    void a_model_answering_within_prefer_wait_is_final_at_once_and_its_output_files_are_stored() throws Exception {
        String image = fake.fileUrl("out.png");
        ObjectNode output = json("{'images': ['IMG', 'IMG'], 'seed': 42, 'note': 'see https://example.com/docs page'}");
        ((com.fasterxml.jackson.databind.node.ArrayNode) output.get("images")).removeAll().add(image).add(image);
        fake.plan(FakeReplicate.Plan.succeeds(0, output));

        NodeOutput answer = start(settings("'model': 'black-forest-labs/flux-schnell', 'wait': 30,"
                + " 'input': {'prompt': 'a red fox', 'num_outputs': 2}")).get(5, TimeUnit.SECONDS);

        RecordedRequest create = request();
        assertThat(create.getMethod()).isEqualTo("POST");
        assertThat(create.getUrl().encodedPath()).isEqualTo("/v1/models/black-forest-labs/flux-schnell/predictions");
        assertThat(create.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(create.getHeaders().get("Prefer")).isEqualTo("wait=30");
        assertThat(Json.read(create.getBody().utf8())).isEqualTo(json("{'input': {'prompt': 'a red fox', 'num_outputs': 2}}"));
        assertThat(request().getUrl().encodedPath()).isEqualTo("/delivery/out.png");   // downloaded once, no poll
        assertThat(fake.requests).isEmpty();
        assertThat(files.files).hasSize(1);
        MemoryFiles.File stored = files.files.get("f1");
        assertThat(stored.bytes()).isEqualTo(FakeReplicate.PNG);
        assertThat(stored.taskId()).isEqualTo(7);
        assertThat(stored.nodeId()).isEqualTo("paint");
        String id = answer.data().get("id").asText();
        assertThat(Json.read(Json.write(answer.data()))).isEqualTo(Json.read("{\"output\": {\"images\": [\"" + MemoryFiles.BASE + "f1\", \""
                + MemoryFiles.BASE + "f1\"], \"seed\": 42, \"note\": \"see https://example.com/docs page\"},"
                + " \"status\": \"succeeded\", \"id\": \"" + id + "\", \"metrics\": {\"predict_time\": 4.2},"
                + " \"files\": [{\"url\": \"" + MemoryFiles.BASE + "f1\", \"file_id\": \"f1\", \"name\": \"out.png\","
                + " \"content_type\": \"image/png\", \"size\": " + FakeReplicate.PNG.length + "}]}"));
        awaitNoTimerEntries();   // the time limit's entry is dropped
    }

    @Test
    void a_prediction_is_read_on_the_timer_with_growing_waits_until_it_succeeds() throws Exception {
        fake.plan(FakeReplicate.Plan.succeeds(2, Json.read("\"a fox in the snow\"")));
        CompletableFuture<NodeOutput> answer = start(settings("'model': 'meta/llava', 'input': {'prompt': 'describe'}"));

        assertThat(nextWait()).isEqualTo(Duration.ofSeconds(60));   // the time limit
        assertThat(nextWait()).isEqualTo(Duration.ofMillis(500));
        RecordedRequest create = request();
        assertThat(create.getHeaders().get("Prefer")).isNull();
        assertThat(answer).isNotDone();

        List<Duration> waits = new ArrayList<>(List.of(Duration.ofMillis(500)));
        manual.advance(Duration.ofMillis(500));
        RecordedRequest read = request();
        assertThat(read.getMethod()).isEqualTo("GET");
        assertThat(read.getUrl().encodedPath()).startsWith("/v1/predictions/");
        assertThat(read.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        waits.add(nextWait());
        assertThat(answer).isNotDone();
        manual.advance(waits.get(1));
        request();
        waits.add(nextWait());
        manual.advance(waits.get(2));
        request();

        NodeOutput output = answer.get(5, TimeUnit.SECONDS);
        assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(output.data().get("output")).isEqualTo(Json.read("\"a fox in the snow\""));
        assertThat(output.data().get("files")).isEmpty();
        assertThat(fake.requests).isEmpty();
    }

    @Test
    void a_version_is_created_at_predictions_with_the_version_in_the_body() throws Exception {
        fake.plan(FakeReplicate.Plan.succeeds(0, Json.read("[1, 2]")));
        NodeOutput answer = start(settings("'version': '" + VERSION + "', 'wait': 5, 'input': {'n': 2}"))
                .get(5, TimeUnit.SECONDS);

        RecordedRequest create = request();
        assertThat(create.getUrl().encodedPath()).isEqualTo("/v1/predictions");
        assertThat(Json.read(create.getBody().utf8())).isEqualTo(json("{'version': '" + VERSION + "', 'input': {'n': 2}}"));
        assertThat(answer.data().get("output")).isEqualTo(Json.read("[1, 2]"));
    }

    @Test
    void owner_name_colon_version_runs_that_version() throws Exception {
        fake.plan(FakeReplicate.Plan.succeeds(0, Json.read("\"ok\"")));
        start(settings("'model': 'mlscade/fooocus:" + VERSION + "', 'wait': 5, 'input': {}")).get(5, TimeUnit.SECONDS);

        RecordedRequest create = request();
        assertThat(create.getUrl().encodedPath()).isEqualTo("/v1/predictions");
        assertThat(Json.read(create.getBody().utf8()).get("version").asText()).isEqualTo(VERSION);
    }

    @Test
    void a_failed_prediction_fails_the_step_with_the_models_error() {
        fake.plan(FakeReplicate.Plan.fails(0, "CUDA out of memory. Tried to allocate 2.00 GiB"));

        NodeException e = failure(start(settings("'model': 'stability-ai/sdxl', 'wait': 10, 'input': {}")));

        assertThat(e.type()).isEqualTo(ModelNode.FAILED);
        assertThat(e.getMessage()).startsWith("stability-ai/sdxl: prediction ")
                .endsWith(" failed: CUDA out of memory. Tried to allocate 2.00 GiB");
        assertThat(e.retryable()).isFalse();
        assertThat(fake.cancels).isEmpty();
    }

    @Test
    void a_prediction_that_never_ends_is_cancelled_at_the_time_limit() throws Exception {
        fake.plan(FakeReplicate.Plan.never());
        CompletableFuture<NodeOutput> answer = start(settings("'model': 'owner/slow', 'input': {}"));
        nextWait();
        nextWait();   // created, first read scheduled
        assertThat(request().getUrl().encodedPath()).isEqualTo("/v1/models/owner/slow/predictions");

        manual.advance(Duration.ofSeconds(60));

        NodeException e = failure(answer);
        assertThat(e.type()).isEqualTo(ErrorTypes.TIMEOUT);
        assertThat(e.getMessage()).isEqualTo("owner/slow did not finish within 60000 ms (the step's timeout_ms);"
                + " the prediction was cancelled");
        String cancelled = fake.cancels.poll(5, TimeUnit.SECONDS);
        assertThat(cancelled).isNotNull();
        assertThat(fake.state(cancelled).get("status").asText()).isEqualTo("canceled");
        awaitNoTimerEntries();
    }

    @Test
    void a_cancelled_step_cancels_its_prediction() throws Exception {
        fake.plan(FakeReplicate.Plan.never());
        CompletableFuture<NodeOutput> answer = start(settings("'model': 'owner/slow', 'input': {}"));
        nextWait();
        nextWait();

        answer.cancel(true);

        assertThat(fake.cancels.poll(5, TimeUnit.SECONDS)).isNotNull();
        RecordedRequest create = request();
        RecordedRequest cancel = request();
        assertThat(create.getMethod()).isEqualTo("POST");
        assertThat(cancel.getUrl().encodedPath()).endsWith("/cancel");
        assertThat(cancel.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        awaitNoTimerEntries();
    }

    @Test
    void a_rate_limited_create_is_tried_again_after_retry_after() throws Exception {
        fake.throttle(1).plan(FakeReplicate.Plan.succeeds(0, Json.read("\"ok\"")));
        CompletableFuture<NodeOutput> answer = start(settings("'model': 'owner/busy', 'wait': 5, 'input': {}"));
        nextWait();

        assertThat(nextWait()).isEqualTo(Duration.ofSeconds(1));
        assertThat(request().getHeaders().get("Authorization")).isNotNull();
        assertThat(answer).isNotDone();
        manual.advance(Duration.ofSeconds(1));

        assertThat(answer.get(5, TimeUnit.SECONDS).data().get("output").asText()).isEqualTo("ok");
        assertThat(fake.requests).hasSize(1);
    }

    @Test
    void a_weft_file_in_the_input_goes_as_a_data_url_and_an_outside_url_unchanged() throws Exception {
        String photo = files.upload(FakeReplicate.PNG, "photo.png", "image/png");
        fake.plan(FakeReplicate.Plan.succeeds(0, Json.read("\"ok\"")));
        ObjectNode settings = settings("'model': 'lucataco/remove-bg', 'wait': 5");
        settings.putObject("input").put("image", photo).put("mask", "https://example.com/mask.png")
                .putArray("more").add("f1");

        start(settings).get(5, TimeUnit.SECONDS);

        JsonNode input = Json.read(request().getBody().utf8()).get("input");
        String dataUrl = "data:image/png;base64," + Base64.getEncoder().encodeToString(FakeReplicate.PNG);
        assertThat(input).isEqualTo(Json.object().put("image", dataUrl).put("mask", "https://example.com/mask.png")
                .set("more", Json.MAPPER.createArrayNode().add(dataUrl)));
    }

    @Test
    void a_weft_file_over_inline_max_bytes_fails_before_any_request() {
        String photo = files.upload(new byte[2048], "big.png", "image/png");
        ObjectNode settings = settings("'model': 'owner/model', 'inline_max_bytes': 1024");
        settings.putObject("input").put("image", photo);

        NodeException e = failure(start(settings));

        assertThat(e.type()).isEqualTo("file_too_large");
        assertThat(e.getMessage()).isEqualTo("settings.input.image: file f1 has 2048 bytes; at most 1024 may be read;"
                + " a Weft file goes to the model inline, up to inline_max_bytes (1024): pass a public URL for a larger one");
        assertThat(fake.requests).isEmpty();
    }

    @Test
    void a_wrong_token_is_a_non_retryable_status_failure_with_replicates_detail() {
        Credentials wrong = name -> Optional.of(new Credentials.Credential("r8_wrong000000", List.of()));
        ModelNode other = new ModelNode(new HttpNode.Options(true, 64 * 1024, 3), wrong, FlowRuns.local(), timer, clock,
                files, 1024);
        NodeException e = failure(other.runAsync(new NodeCall(1, "m", settings("'model': 'owner/model', 'input': {}"),
                Json.object(), 1, Duration.ofSeconds(60))).toCompletableFuture());

        assertThat(e.type()).isEqualTo(ModelNode.STATUS);
        assertThat(e.getMessage()).endsWith("answered 401: You did not pass a valid authentication token");
        assertThat(e.retryable()).isFalse();
    }

    /** Creates a prediction at the fake as an earlier attempt did; its entry as the node records it. */
    private ObjectNode recordedPrediction(int attempt, boolean wait) throws Exception {
        java.net.http.HttpResponse<String> created = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(fake.base() + "/models/owner/model/predictions"))
                        .header("Authorization", "Bearer " + TOKEN).header("Prefer", wait ? "wait=5" : "respond-async")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"input\": {}}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        request();
        JsonNode prediction = Json.read(created.body());
        ObjectNode entry = Json.object().put("id", prediction.get("id").asText()).put("attempt", attempt);
        entry.set("urls", Json.object().put("get", prediction.path("urls").path("get").asText())
                .put("cancel", prediction.path("urls").path("cancel").asText()));
        return entry;
    }

    private CompletableFuture<NodeOutput> start(ObjectNode settings, int attempt, dev.weft.node.Journal journal) {
        return node.runAsync(new NodeCall(7, "paint", settings, Json.object(), attempt, Duration.ofSeconds(60), journal,
                dev.weft.node.Deltas.NONE)).toCompletableFuture();
    }

    @Test
    void the_created_prediction_is_recorded_and_a_resumed_step_reads_it_instead_of_creating_another() throws Exception {
        fake.plan(FakeReplicate.Plan.succeeds(0, Json.read("\"first\"")));
        ObjectNode entry = recordedPrediction(1, false);
        dev.weft.node.Journal journal = dev.weft.node.Journal.memory(java.util.Map.of("prediction:1", entry));

        CompletableFuture<NodeOutput> answer = start(settings("'model': 'owner/model', 'input': {}"), 1, journal);

        RecordedRequest read = request();
        assertThat(read.getMethod()).isEqualTo("GET");
        assertThat(read.getUrl().encodedPath()).isEqualTo("/v1/predictions/" + entry.get("id").asText());
        assertThat(answer.get(5, TimeUnit.SECONDS).data().get("output").asText()).isEqualTo("first");
        assertThat(fake.requests).isEmpty();   // no create

        fake.plan(FakeReplicate.Plan.succeeds(0, Json.read("\"second\"")));
        dev.weft.node.Journal empty = dev.weft.node.Journal.memory();
        NodeOutput second = start(settings("'model': 'owner/model', 'wait': 5, 'input': {}"), 1, empty)
                .get(5, TimeUnit.SECONDS);
        assertThat(request().getMethod()).isEqualTo("POST");
        String id = second.data().get("id").asText();
        assertThat(empty.recorded().get("prediction:1")).isEqualTo(Json.read("{\"id\": \"" + id + "\", \"attempt\": 1,"
                + " \"urls\": {\"get\": \"" + fake.base() + "/predictions/" + id + "\", \"cancel\": \"" + fake.base()
                + "/predictions/" + id + "/cancel\"}}"));
    }

    @Test
    void a_retry_whose_recorded_prediction_failed_creates_a_new_one() throws Exception {
        fake.plan(FakeReplicate.Plan.fails(0, "NSFW content detected"));
        ObjectNode entry = recordedPrediction(1, true);
        fake.plan(FakeReplicate.Plan.succeeds(0, Json.read("\"clean\"")));
        dev.weft.node.Journal journal = dev.weft.node.Journal.memory(java.util.Map.of("prediction:1", entry));

        NodeOutput output = start(settings("'model': 'owner/model', 'wait': 5, 'input': {}"), 2, journal)
                .get(5, TimeUnit.SECONDS);

        assertThat(request().getMethod()).isEqualTo("GET");
        RecordedRequest create = request();
        assertThat(create.getMethod()).isEqualTo("POST");
        assertThat(output.data().get("output").asText()).isEqualTo("clean");
        assertThat(output.data().get("id").asText()).isNotEqualTo(entry.get("id").asText());
        assertThat(journal.recorded()).containsKeys("prediction:1", "prediction:2");
    }

    @Test
    void model_settings_problems_are_named_by_path() {
        assertThat(problems(node, "{'input': {}}"))
                .containsExactly("model: is required unless version is given (owner/name, e.g. black-forest-labs/flux-schnell)");
        assertThat(problems(node, "{'model': 'flux'}")).containsExactly("model: must be owner/name or owner/name:version"
                + " (got 'flux')");
        assertThat(problems(node, "{'version': 'not a version'}"))
                .containsExactly("version: must be a version id: letters and digits (got 'not a version')");
        assertThat(problems(node, "{'model': 'a/b', 'wait': 61}")).containsExactly("wait: must be at most 60 (got 61)");
        assertThat(problems(node, "{'model': '{{start.model}}', 'input': {'prompt': '{{start.prompt}}'}}")).isEmpty();
    }
}
