package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.builtin.FakeModel;
import dev.weft.builtin.FakeOpenAiMedia;
import dev.weft.builtin.FakeReplicate;
import dev.weft.json.Json;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every template of the gallery, made into a flow through {@code POST /api/v1/flows {"template": id}}, published and
 * run end to end through the Scade-compatible run API on a real server. Where a template calls a provider, the draft
 * is pointed at a fake on loopback speaking the provider's wire protocol (the builtin test jar's {@link FakeModel},
 * {@link FakeReplicate}, {@link FakeOpenAiMedia}) or at a loopback web server, as a user points it at theirs; a
 * knowledge base uses the shipped local embedding model. Nothing else of the template is changed.
 */
class TemplatesRunTest {

    static final String ADMIN = TestServer.ADMIN_AUTH;
    static final Duration LIMIT = Duration.ofSeconds(30);
    static final String REPLICATE_TOKEN = "r8_templates0123456789";
    /** The templates the tests below run; the gallery must have no other. */
    static final List<String> RUN = List.of("hello", "summarise-url", "classify", "rag", "agent-tools", "http-retry",
            "map-list", "scade-import", "python-stats", "order-total", "route-ticket", "image");

    static TestServer server;
    static String key;
    static FakeModel model;
    static FakeReplicate replicate;
    static FakeOpenAiMedia media;
    static MockWebServer web;

    @BeforeAll
    static void start() throws Exception {
        model = new FakeModel();
        replicate = new FakeReplicate(REPLICATE_TOKEN);
        media = new FakeOpenAiMedia();
        web = new MockWebServer();
        web.start(InetAddress.getByName("127.0.0.1"), 0);
        server = TestServer.start();
        key = server.newKeyAuth("templates");
        credential("openai", FakeOpenAiMedia.KEY);
        credential("replicate", REPLICATE_TOKEN);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        model.close();
        replicate.close();
        media.close();
        web.close();
    }

    @BeforeEach
    void forgetOtherTestsRequests() {
        model.requests.clear();
        model.headers.clear();
    }

    private static void credential(String name, String secret) {
        TestServer.Answer created = server.post("/api/v1/credentials", Json.write(Map.of("name", name, "secret", secret,
                "hosts", List.of("127.0.0.1"))), ADMIN);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }

    /** Makes a draft from {@code template}, lets {@code adjust} change its document, publishes it; the flow's id. */
    private static long flowFrom(String template, Consumer<ObjectNode> adjust) {
        TestServer.Answer created = server.post("/api/v1/flows", "{\"template\": \"" + template + "\"}", ADMIN);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        long id = created.json().path("id").asLong();
        ObjectNode document = (ObjectNode) created.json().path("document");
        adjust.accept(document);
        TestServer.Answer saved = server.send("PUT", "/api/v1/flows/" + id, Json.write(document), "application/json", ADMIN);
        assertThat(saved.status()).as(saved.text()).isEqualTo(200);
        TestServer.Answer published = server.post("/api/v1/flows/" + id + "/publish", null, ADMIN);
        assertThat(published.status()).as(published.text()).isEqualTo(201);
        return id;
    }

    private static JsonNode run(long flow, String inputs) {
        TestServer.Answer started = server.post("/api/v1/scade/flow/" + flow + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": " + inputs + "}}}", key);
        assertThat(started.status()).as(started.text()).isEqualTo(200);
        JsonNode done = server.awaitTask(started.json().path("id").asLong(), key, LIMIT);
        assertThat(done.path("status").asInt()).as(done.toString()).isEqualTo(3);
        return done.path("result");
    }

    private static ObjectNode settings(ObjectNode document, String nodeId) {
        for (JsonNode node : document.path("nodes")) {
            if (node.path("id").asText().equals(nodeId)) return (ObjectNode) node.path("settings");
        }
        throw new AssertionError("the template has no node " + nodeId);
    }

    private static Consumer<ObjectNode> modelAt(String... nodeIds) {
        return document -> {
            for (String id : nodeIds) settings(document, id).put("base_url", model.base("/v1"));
        };
    }

    private static String completion(String content) {
        ObjectNode body = Json.object().put("id", "chatcmpl-1").put("object", "chat.completion").put("model", "gpt-4o-mini");
        body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop").putObject("message")
                .put("role", "assistant").put("content", content);
        body.putObject("usage").put("prompt_tokens", 20).put("completion_tokens", 5).put("total_tokens", 25);
        return Json.write(body);
    }

    private static JsonNode lastModelRequest() throws InterruptedException {
        return Json.read(model.requests.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void the_gallery_holds_exactly_the_templates_these_tests_run() {
        List<String> ids = new ArrayList<>();
        server.get("/api/v1/templates", ADMIN).json().path("templates").forEach(t -> ids.add(t.path("id").asText()));
        assertThat(ids).containsExactlyElementsOf(RUN).hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void hello_greets() {
        assertThat(run(flowFrom("hello", d -> {}), "{\"name\": \"Ada\"}").path("greeting").asText()).isEqualTo("Hello, Ada!");
    }

    @Test
    void summarise_url_fetches_the_page_and_the_model_summarises_it() throws Exception {
        web.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/plain; charset=utf-8")
                .body("Weft runs flows of nodes behind a Scade-compatible API.").build());
        model.enqueue(FakeModel.Script.status(200, completion("Weft is a flow runner.")));

        JsonNode result = run(flowFrom("summarise-url", modelAt("summarise")),
                "{\"url\": \"http://127.0.0.1:" + web.getPort() + "/about.txt\", \"sentences\": 1}");

        assertThat(result.path("summary").asText()).isEqualTo("Weft is a flow runner.");
        assertThat(result.path("usage").path("total_tokens").asInt()).isEqualTo(25);
        assertThat(web.takeRequest(5, TimeUnit.SECONDS).getTarget()).isEqualTo("/about.txt");
        String prompt = lastModelRequest().path("messages").path(1).path("content").asText();
        assertThat(prompt).startsWith("Summarise this page in 1 sentences.")
                .endsWith("Weft runs flows of nodes behind a Scade-compatible API.");
        assertThat(model.headers.poll(5, TimeUnit.SECONDS)).contains("authorization: Bearer " + FakeOpenAiMedia.KEY);
    }

    @Test
    void classify_answers_json_matching_its_schema() throws Exception {
        model.enqueue(FakeModel.Script.status(200, completion("{\"sentiment\": \"mixed\", \"topics\": [\"delivery\", \"food\"]}")));

        JsonNode result = run(flowFrom("classify", modelAt("classify")), "{\"review\": \"Late, but tasty.\"}");

        assertThat(result.path("label")).isEqualTo(Json.read("{\"sentiment\": \"mixed\", \"topics\": [\"delivery\", \"food\"]}"));
        JsonNode sent = lastModelRequest();
        assertThat(sent.path("response_format").path("type").asText()).isEqualTo("json_schema");
    }

    @Test
    void rag_answers_from_the_handbook_knowledge_base() throws Exception {
        TestServer.Answer kb = server.post("/api/v1/knowledge-bases", "{\"name\": \"handbook\"}", ADMIN);
        assertThat(kb.status()).as(kb.text()).isEqualTo(201);
        long handbook = kb.json().path("id").asLong();
        TestServer.Answer doc = server.post("/api/v1/knowledge-bases/" + handbook + "/documents", Json.write(Map.of(
                "name", "guide.md", "text", KnowledgeBasesApiTest.GUIDE)), ADMIN);
        assertThat(doc.status()).as(doc.text()).isEqualTo(202);
        awaitReady(handbook, doc.json().path("id").asLong());
        model.enqueue(FakeModel.Script.status(200, completion("Within five working days [1].")));

        JsonNode result = run(flowFrom("rag", modelAt("answer")), "{\"question\": \"How long do refunds take?\"}");

        assertThat(result.path("answer").asText()).isEqualTo("Within five working days [1].");
        assertThat(result.path("sources").path(0).path("source").path("section").asText()).isEqualTo("Refunds");
        assertThat(lastModelRequest().path("messages").path(1).path("content").asText())
                .contains("Refunds are paid to the original card within five working days.");
    }

    private static void awaitReady(long kb, long doc) {
        JsonNode d = Polls.until("document " + doc + " ingested", LIMIT, Duration.ofMillis(20),
                () -> server.get("/api/v1/knowledge-bases/" + kb + "/documents/" + doc, ADMIN).json(),
                read -> read.path("status").asText().matches("ready|failed"));
        assertThat(d.path("status").asText()).as(d.toString()).isEqualTo("ready");
    }

    @Test
    void agent_tools_calls_the_hello_flow_made_with_it_and_the_weather_api() throws Exception {
        ObjectNode asks = Json.object().put("role", "assistant").putNull("content");
        ArrayNode calls = asks.putArray("tool_calls");
        calls.addObject().put("id", "call_1").put("type", "function").putObject("function")
                .put("name", "greet").put("arguments", "{\"name\": \"Ada\"}");
        calls.addObject().put("id", "call_2").put("type", "function").putObject("function")
                .put("name", "weather").put("arguments", "{\"city\": \"Paris\"}");
        ObjectNode first = (ObjectNode) Json.read(completion(""));
        ((ObjectNode) first.path("choices").get(0)).put("finish_reason", "tool_calls").set("message", asks);
        model.enqueue(FakeModel.Script.status(200, Json.write(first)));
        model.enqueue(FakeModel.Script.status(200, completion("Hello, Ada! Take a light jacket.")));
        web.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/plain; charset=utf-8")
                .body("Paris: +14°C").build());

        long flow = flowFrom("agent-tools", document -> {
            ObjectNode agent = settings(document, "assistant");
            agent.put("base_url", model.base("/v1"));
            ((ObjectNode) agent.path("tools").get(1)).put("url", "http://127.0.0.1:" + web.getPort() + "/{{city}}?format=3");
        });
        JsonNode result = run(flow, "{\"question\": \"I am Ada in Paris.\"}");

        assertThat(result.path("answer").asText()).isEqualTo("Hello, Ada! Take a light jacket.");
        JsonNode greet = result.path("tool_calls").get(0);
        assertThat(greet.path("result")).isEqualTo(Json.read("{\"greeting\": \"Hello, Ada!\"}"));
        long helloFlow = server.get("/api/v1/task/" + greet.path("task_id").asLong(), key).json().path("flow_id").asLong();
        assertThat(server.get("/api/v1/flows/" + helloFlow, ADMIN).json().path("name").asText())
                .isEqualTo("Hello (for Agent with tools)");
        assertThat(result.path("tool_calls").get(1).path("result").asText()).isEqualTo("Paris: +14°C");
        assertThat(web.takeRequest(5, TimeUnit.SECONDS).getTarget()).isEqualTo("/Paris?format=3");
    }

    @Test
    void http_retry_tries_again_after_a_server_error_and_keeps_the_profile() throws Exception {
        web.enqueue(new MockResponse.Builder().code(503).body("busy").build());
        web.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                .body("{\"login\": \"octocat\", \"name\": \"The Octocat\", \"company\": \"@github\", \"followers\": 9,"
                        + " \"created_at\": \"2011-01-25T18:44:36Z\", \"bio\": null}").build());

        long flow = flowFrom("http-retry", d -> settings(d, "lookup").put("url",
                "http://127.0.0.1:" + web.getPort() + "/users/{{start.login}}"));
        JsonNode result = run(flow, "{\"login\": \"octocat\"}");

        assertThat(result.path("profile")).isEqualTo(Json.read("{\"login\": \"octocat\", \"name\": \"The Octocat\","
                + " \"company\": \"@github\", \"followers\": 9, \"since\": \"2011\"}"));
        RecordedRequest failed = web.takeRequest(5, TimeUnit.SECONDS);
        RecordedRequest answered = web.takeRequest(5, TimeUnit.SECONDS);
        assertThat(List.of(failed.getTarget(), answered.getTarget())).containsOnly("/users/octocat");
    }

    @Test
    void map_list_labels_every_order() {
        JsonNode result = run(flowFrom("map-list", d -> {}), "{\"orders\": [{\"id\": \"A1\", \"total\": 120},"
                + " {\"id\": \"B2\", \"total\": 35}]}");

        assertThat(result.path("labels")).extracting(l -> l.path("label").asText())
                .containsExactly("#0 order A1: 120", "#1 order B2: 35");
        assertThat(result.path("failed").asInt()).isZero();
    }

    @Test
    void scade_import_is_imported_and_its_face_swap_branch_runs_on_replicate() throws Exception {
        replicate.plan(FakeReplicate.Plan.succeeds(0, Json.MAPPER.createArrayNode().add(replicate.fileUrl("out.png"))));

        long flow = flowFrom("scade-import", document -> document.path("nodes").forEach(node -> {
            if (node.path("type").asText().equals("model")) {
                ((ObjectNode) node.path("settings")).put("credential", "replicate").put("base_url", replicate.base());
            }
        }));
        JsonNode result = run(flow, "{\"prompt_Image\": \"a lighthouse\", \"Face_Swap\": true, \"Upscale\": false,"
                + " \"Variance\": false}");

        // As Scade answers it: the end's uri field holds the generated image's URL (here a Weft file's), a string
        assertThat(result.path("Output").isTextual()).as(result.toString()).isTrue();
        assertThat(result.path("Output").asText()).startsWith(server.base() + "/api/v1/files/");
        assertThat(server.get(result.path("Output").asText().substring(server.base().length()), TestServer.ADMIN_AUTH)
                .status()).isEqualTo(200);
        RecordedRequest create = replicate.requests.poll(5, TimeUnit.SECONDS);
        assertThat(create.getUrl().encodedPath()).isEqualTo("/v1/models/vetkastar/fooocus/predictions");
        assertThat(Json.read(create.getBody().utf8()).path("input").path("prompt").asText()).isEqualTo("a lighthouse");
        replicate.requests.clear();
    }

    @Test
    void python_stats_counts_words() {
        JsonNode result = run(flowFrom("python-stats", d -> {}), "{\"text\": \"the cat and the hat\", \"top\": 1}");

        assertThat(result.path("words").asInt()).isEqualTo(5);
        assertThat(result.path("top")).isEqualTo(Json.read("[\"the\"]"));
    }

    @Test
    void order_total_applies_the_coupon() {
        JsonNode result = run(flowFrom("order-total", d -> {}), "{\"items\": [{\"sku\": \"A\", \"price\": 10, \"qty\": 3}],"
                + " \"coupon\": \"SAVE10\"}");

        assertThat(result.path("total").asDouble()).isEqualTo(27.0);
    }

    @Test
    void route_ticket_pages_for_an_urgent_one() {
        JsonNode result = run(flowFrom("route-ticket", d -> {}), "{\"priority\": 5}");

        assertThat(result.path("actions")).isEqualTo(Json.read("[\"page the on-call engineer (priority 5)\"]"));
    }

    @Test
    void image_draws_and_stores_the_picture() {
        JsonNode result = run(flowFrom("image", d -> settings(d, "draw").put("base_url", media.baseUrl())),
                "{\"prompt\": \"a lighthouse\"}");

        assertThat(result.path("image").asText()).startsWith(server.base() + "/api/v1/files/");
        assertThat(media.on("/v1/images/generations").get(0).json().path("prompt").asText()).isEqualTo("a lighthouse");
    }
}
