package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Knowledge bases through the HTTP API of a real server on port 0, with the shipped local model. */
class KnowledgeBasesApiTest {

    static final String BASE = "/api/v1/knowledge-bases";
    static final String ADMIN = TestServer.ADMIN_AUTH;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static long createKb(String body) {
        TestServer.Answer created = server.post(BASE, body, ADMIN);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().path("id").asLong();
    }

    static long addText(long kb, String name, String text, String metadata) {
        TestServer.Answer added = server.post(BASE + "/" + kb + "/documents", Json.write(java.util.Map.of("name", name,
                "text", text, "metadata", Json.read(metadata))), ADMIN);
        assertThat(added.status()).as(added.text()).isEqualTo(202);
        assertThat(added.json().path("status").asText()).isEqualTo("queued");
        return added.json().path("id").asLong();
    }

    /** Reads the document as a client polls it, until its ingest finished; fails after {@code limit}. */
    static JsonNode awaitDocument(long kb, long doc, Duration limit) {
        return Polls.until("document " + doc + " ingested", limit, Duration.ofMillis(20),
                () -> server.get(BASE + "/" + kb + "/documents/" + doc, ADMIN).json(),
                d -> d.path("status").asText().equals("ready") || d.path("status").asText().equals("failed"));
    }

    static TestServer.Answer search(long kb, String body) {
        return server.post(BASE + "/" + kb + "/search", body, ADMIN);
    }

    static String field(TestServer.Answer answer) {
        return answer.json().path("errors").path(0).path("field").asText();
    }

    static final String GUIDE = "# Refunds\n\nRefunds are paid to the original card within five working days.\n\n"
            + "# Shipping\n\nOrders over fifty euros ship for free; smaller ones cost four euros.";

    @Test
    void a_text_document_is_ingested_with_the_local_model_and_found_by_meaning() throws Exception {
        long kb = createKb("{\"name\": \"shop\", \"description\": \"policies\"}");
        TestServer.Answer read = server.get(BASE + "/" + kb, ADMIN);
        assertThat(read.json().path("embedding")).isEqualTo(Json.read(
                "{\"provider\": \"local\", \"model\": \"all-minilm-l6-v2-q\", \"dimension\": 384}"));
        assertThat(read.json().path("chunking")).isEqualTo(Json.read("{\"tokens\": 256, \"overlap\": 32}"));

        long doc = addText(kb, "guide.md", GUIDE, "{\"team\": \"sales\"}");
        JsonNode ready = awaitDocument(kb, doc, Duration.ofSeconds(60));

        assertThat(ready.path("status").asText()).as(ready.toString()).isEqualTo("ready");
        assertThat(ready.path("chunks")).isEqualTo(Json.read("{\"done\": 2, \"total\": 2}"));
        TestServer.Answer found = search(kb, "{\"query\": \"how long until I get my money back?\", \"top_k\": 1}");
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().path("model").asText()).isEqualTo("all-minilm-l6-v2-q");
        JsonNode first = found.json().path("results").path(0);
        assertThat(first.path("text").asText()).startsWith("Refunds\n\nRefunds are paid");
        assertThat(first.path("document_id").asLong()).isEqualTo(doc);
        assertThat(first.path("source").path("section").asText()).isEqualTo("Refunds");
        assertThat(first.path("metadata")).isEqualTo(Json.read("{\"team\": \"sales\"}"));
        assertThat(found.json().path("results")).hasSize(1);
        TestServer.Answer chunks = server.get(BASE + "/" + kb + "/documents/" + doc + "/chunks", ADMIN);
        assertThat(chunks.json().path("chunks")).hasSize(2);
        assertThat(chunks.json().path("chunks").path(1).path("source").path("section").asText()).isEqualTo("Shipping");
    }

    @Test
    void a_multipart_upload_keeps_its_metadata_for_filters_and_a_corrupt_one_fails_alone() throws Exception {
        long kb = createKb("{\"name\": \"files\", \"chunking\": {\"tokens\": 64, \"overlap\": 8}}");
        TestServer.Answer up = multipart(kb, "faq.md", "application/octet-stream", GUIDE.getBytes(StandardCharsets.UTF_8),
                "{\"lang\": \"en\"}");
        assertThat(up.status()).as(up.text()).isEqualTo(202);
        long good = up.json().path("id").asLong();
        assertThat(up.json().path("media_type").asText()).isEqualTo("text/markdown");
        long bad = multipart(kb, "broken.pdf", "application/pdf", "%PDF-1.7\nnot really".getBytes(StandardCharsets.UTF_8),
                null).json().path("id").asLong();

        assertThat(awaitDocument(kb, good, Duration.ofSeconds(60)).path("status").asText()).isEqualTo("ready");
        JsonNode failed = awaitDocument(kb, bad, Duration.ofSeconds(60));
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("reason").asText()).startsWith("the PDF is corrupt");
        TestServer.Answer filtered = search(kb, "{\"query\": \"free shipping\", \"filters\": {\"lang\": [\"en\"]}}");
        assertThat(filtered.json().path("results").path(0).path("document_id").asLong()).isEqualTo(good);
        assertThat(search(kb, "{\"query\": \"free shipping\", \"filters\": {\"lang\": \"fr\"}}").json().path("results")).isEmpty();
        assertThat(server.get(BASE + "/" + kb + "/documents", ADMIN).json().path("documents")).hasSize(2);

        assertThat(server.send("DELETE", BASE + "/" + kb + "/documents/" + good, null, null, ADMIN).status()).isEqualTo(204);
        assertThat(search(kb, "{\"query\": \"free shipping\"}").json().path("results")).isEmpty();
        assertThat(server.send("DELETE", BASE + "/" + kb, null, null, ADMIN).status()).isEqualTo(204);
        assertThat(server.get(BASE + "/" + kb, ADMIN).status()).isEqualTo(404);
    }

    @Test
    void bad_requests_get_a_problem_naming_the_field_and_change_nothing() {
        long kb = createKb("{\"name\": \"strict\"}");

        assertThat(field(server.post(BASE, "{\"name\": \"strict\"}", ADMIN))).isEqualTo("name");
        assertThat(server.post(BASE, "{\"name\": \"strict\"}", ADMIN).status()).isEqualTo(409);
        assertThat(field(server.post(BASE, "{\"name\": \"x\", \"embedding\": {\"provider\": \"cohere\"}}", ADMIN)))
                .isEqualTo("embedding.provider");
        assertThat(field(server.post(BASE, "{\"name\": \"x\", \"embedding\": {\"provider\": \"openai\", \"url\": "
                + "\"https://api.openai.com/v1\", \"model\": \"m\"}}", ADMIN))).isEqualTo("embedding.dimension");
        assertThat(field(server.post(BASE, "{\"name\": \"x\", \"embedding\": {\"provider\": \"openai\", \"url\": "
                + "\"https://api.openai.com/v1\", \"model\": \"m\", \"dimension\": 8, \"credential\": \"nope\"}}", ADMIN)))
                .isEqualTo("embedding.credential");
        assertThat(field(server.post(BASE, "{\"name\": \"x\", \"chunking\": {\"tokens\": 100, \"overlap\": 60}}", ADMIN)))
                .isEqualTo("chunking.overlap");
        TestServer.Answer noQuery = search(kb, "{}");
        assertThat(noQuery.status()).isEqualTo(400);
        assertThat(noQuery.contentType()).startsWith("application/problem+json");
        assertThat(field(noQuery)).isEqualTo("query");
        assertThat(field(search(kb, Json.write(java.util.Map.of("query", "x".repeat(100_000)))))).isEqualTo("query");
        assertThat(field(search(kb, "{\"query\": \"x\", \"top_k\": 0}"))).isEqualTo("top_k");
        assertThat(field(search(kb, "{\"query\": \"x\", \"filters\": {\"colour\": \"red\"}}"))).isEqualTo("filters.colour");
        TestServer.Answer otherModel = search(kb, "{\"query\": \"x\", \"model\": \"text-embedding-3-small\"}");
        assertThat(field(otherModel)).isEqualTo("model");
        assertThat(otherModel.json().path("errors").path(0).path("message").asText()).contains(
                "is embedded with all-minilm-l6-v2-q (384 dimensions); a query embedded with text-embedding-3-small");
        assertThat(field(server.post(BASE + "/" + kb + "/documents", "{\"name\": \"a.txt\"}", ADMIN))).isEqualTo("text");
        assertThat(server.post(BASE + "/999999/search", "{\"query\": \"x\"}", ADMIN).status()).isEqualTo(404);
        assertThat(server.get(BASE + "/" + kb + "/documents", ADMIN).json().path("documents")).isEmpty();
        assertThat(server.get(BASE, ADMIN).json().path("knowledge_bases").findValuesAsText("name")).contains("strict")
                .doesNotContain("x");
    }

    @Test
    void knowledge_bases_need_the_admin_token() {
        String key = server.newKeyAuth("kb-outsider");

        assertThat(server.get(BASE, null).status()).isEqualTo(401);
        assertThat(server.get(BASE, key).status()).isIn(401, 403);
        assertThat(server.post(BASE, "{\"name\": \"sneaky\"}", key).status()).isIn(401, 403);
    }

    @Test
    void an_openai_compatible_provider_embeds_with_the_stored_credential() throws Exception {
        try (MockWebServer fake = new MockWebServer()) {
            fake.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    JsonNode input = Json.read(request.getBody().utf8()).path("input");
                    StringBuilder data = new StringBuilder();
                    for (int i = 0; i < input.size(); i++) {
                        String text = input.get(i).asText().toLowerCase();
                        float[] v = {text.contains("refund") ? 1 : 0.01f, text.contains("ship") ? 1 : 0.01f, 0.1f};
                        data.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
                                .append(",\"embedding\":").append(Json.write(v)).append('}');
                    }
                    boolean authorized = ("Bearer sk-kb-test").equals(request.getHeaders().get("Authorization"));
                    return new MockResponse.Builder().code(authorized ? 200 : 401).addHeader("Content-Type", "application/json")
                            .body("{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"tiny\",\"usage\":"
                                    + "{\"prompt_tokens\":1,\"total_tokens\":1}}").build();
                }
            });
            fake.start(InetAddress.getByName("127.0.0.1"), 0);
            assertThat(server.post("/api/v1/credentials", "{\"name\": \"kb-openai\", \"secret\": \"sk-kb-test\"}", ADMIN)
                    .status()).isEqualTo(201);
            long kb = createKb("{\"name\": \"remote\", \"embedding\": {\"provider\": \"openai\", \"url\": "
                    + "\"http://127.0.0.1:" + fake.getPort() + "/v1\", \"model\": \"tiny\", \"dimension\": 3, "
                    + "\"credential\": \"kb-openai\"}}");
            long doc = addText(kb, "guide.md", GUIDE, "{}");

            assertThat(awaitDocument(kb, doc, Duration.ofSeconds(30)).path("status").asText()).isEqualTo("ready");
            JsonNode first = search(kb, "{\"query\": \"shipping\", \"top_k\": 1, \"weights\": {\"text\": 0}}")
                    .json().path("results").path(0);
            assertThat(first.path("source").path("section").asText()).isEqualTo("Shipping");
            assertThat(first.path("text_score").isNull()).isTrue();
        }
    }

    /** A multipart/form-data upload with a file part and an optional metadata field. */
    static TestServer.Answer multipart(long kb, String filename, String type, byte[] content, String metadata)
            throws Exception {
        String boundary = "weft-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (metadata != null) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n" + metadata
                    + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.base() + BASE + "/" + kb + "/documents"))
                .header("Authorization", ADMIN).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        return new TestServer.Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }

    static List<String> names(JsonNode list) {
        return list.findValuesAsText("name");
    }
}
