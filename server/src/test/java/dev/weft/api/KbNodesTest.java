package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kb_search and kb_ingest nodes in flows a real server runs, over a knowledge base on SQLite and the local model. */
class KbNodesTest {

    static final Duration LIMIT = Duration.ofSeconds(60);
    static final String BASE = KnowledgeBasesApiTest.BASE;
    static final String ADMIN = TestServer.ADMIN_AUTH;
    static TestServer server;
    static long kb;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start();
        TestServer.Answer created = server.post(BASE, "{\"name\": \"policies\"}", ADMIN);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        kb = created.json().path("id").asLong();
        TestServer.Answer added = server.post(BASE + "/" + kb + "/documents", Json.write(Map.of("name", "guide.md",
                "text", KnowledgeBasesApiTest.GUIDE, "metadata", Map.of("team", "sales"))), ADMIN);
        assertThat(added.status()).as(added.text()).isEqualTo(202);
        KnowledgeBasesApiTest.server = server;
        JsonNode ready = KnowledgeBasesApiTest.awaitDocument(kb, added.json().path("id").asLong(), LIMIT);
        assertThat(ready.path("status").asText()).isEqualTo("ready");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String searchFlow(String kbName, String extra) {
        return """
                {"name": "Ask the policies", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"question": {"type": "string", "required": true}}}},
                  {"id": "find", "type": "kb_search", "settings": {"knowledge_base": "%s",
                    "query": "{{start.question}}" %s}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"chunks": {"type": "array"}, "context": {"type": "string"}}}}
                ], "edges": [
                  {"from_node": "start", "to_node": "find", "fields_mapping": [{"from_field": "question", "to_field": "question"}]},
                  {"from_node": "find", "to_node": "end", "fields_mapping": [
                    {"from_field": "chunks", "to_field": "chunks"}, {"from_field": "context", "to_field": "context"}]}
                ]}""".formatted(kbName, extra);
    }

    static JsonNode run(long flowId, String data) {
        TestServer.Answer answer = server.post("/api/v1/scade/flow/" + flowId + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": " + data + "}}}", ADMIN);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return server.awaitTask(answer.json().path("id").asLong(), ADMIN, LIMIT);
    }

    @Test
    void a_question_finds_its_passage_with_score_source_and_a_context_for_a_prompt() {
        long flow = server.publishFlow(searchFlow("policies", ", \"top_k\": 1"));

        JsonNode done = run(flow, "{\"question\": \"how long until I get my money back?\"}");

        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("completed");
        JsonNode chunk = done.path("result").path("chunks").path(0);
        assertThat(done.path("result").path("chunks")).hasSize(1);
        assertThat(chunk.path("text").asText()).startsWith("Refunds\n\nRefunds are paid");
        assertThat(chunk.path("score").asDouble()).isBetween(0.0, 1.0).isPositive();
        assertThat(chunk.path("source").path("document").asText()).isEqualTo("guide.md");
        assertThat(chunk.path("source").path("section").asText()).isEqualTo("Refunds");
        assertThat(chunk.path("metadata")).isEqualTo(Json.read("{\"team\": \"sales\"}"));
        assertThat(done.path("result").path("context").asText())
                .startsWith("[1] guide.md, \"Refunds\"\nRefunds\n\nRefunds are paid");
    }

    @Test
    void the_context_keeps_to_its_token_budget_and_an_id_names_the_kb_too() {
        long flow = server.publishFlow(searchFlow(String.valueOf(kb), ", \"top_k\": 2, \"context_tokens\": 10"));

        JsonNode done = run(flow, "{\"question\": \"shipping costs\"}");

        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.path("result").path("chunks")).hasSize(2);
        assertThat(done.path("result").path("context").asText()).hasSize(40).startsWith("[1] guide.md");
    }

    @Test
    void an_unknown_kb_or_filter_fails_the_step_naming_the_setting() {
        JsonNode missing = run(server.publishFlow(searchFlow("nope", "")), "{\"question\": \"refunds\"}");
        assertThat(missing.path("state").asText()).isEqualTo("failed");
        assertThat(missing.path("error").path("type").asText()).isEqualTo("kb_not_found");
        assertThat(missing.path("error").path("message").asText()).contains("settings.knowledge_base", "'nope'");

        JsonNode filtered = run(server.publishFlow(searchFlow("policies", ", \"filters\": {\"colour\": \"red\"}")),
                "{\"question\": \"refunds\"}");
        assertThat(filtered.path("error").path("type").asText()).as(filtered.toString()).isEqualTo("kb_invalid");
        assertThat(filtered.path("error").path("message").asText()).contains("settings.filters.colour");
    }

    @Test
    void settings_the_schema_refuses_are_a_400_naming_the_field_at_save() {
        TestServer.Answer answer = server.post("/api/v1/flows", searchFlow("policies", ", \"top_k\": 0"), ADMIN);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("errors").findValuesAsText("field")).contains("nodes[1].settings.top_k");

        TestServer.Answer two = server.post("/api/v1/flows", ingestFlow("\"text\": \"a\", \"url\": \"https://x.test/a\""),
                ADMIN);
        assertThat(two.status()).isEqualTo(400);
        assertThat(two.text()).contains("exactly one of text, url or file_id");
    }

    static String ingestFlow(String source) {
        return """
                {"name": "Learn", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"note": {"type": "string", "required": true}}}},
                  {"id": "learn", "type": "kb_ingest", "settings": {"knowledge_base": "policies", "name": "note.txt",
                    "metadata": {"team": "support"}, %s}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"document_id": {"type": "integer"},
                    "status": {"type": "string"}, "chunks": {"type": "object"}}}}
                ], "edges": [
                  {"from_node": "start", "to_node": "learn", "fields_mapping": [{"from_field": "note", "to_field": "note"}]},
                  {"from_node": "learn", "to_node": "end", "fields_mapping": [{"from_field": "document_id", "to_field": "document_id"},
                    {"from_field": "status", "to_field": "status"}, {"from_field": "chunks", "to_field": "chunks"}]}
                ]}""".formatted(source);
    }

    @Test
    void ingested_text_is_ready_when_the_step_ends() {
        long flow = server.publishFlow(ingestFlow("\"text\": \"{{start.note}}\""));

        JsonNode done = run(flow, "{\"note\": \"Gift cards never expire and can be used online or in stores.\"}");

        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("completed");
        assertThat(done.path("result").path("status").asText()).isEqualTo("ready");
        assertThat(done.path("result").path("chunks")).isEqualTo(Json.read("{\"done\": 1, \"total\": 1}"));
        long doc = done.path("result").path("document_id").asLong();
        JsonNode found = server.post(BASE + "/" + kb + "/search", "{\"query\": \"do gift cards expire?\", \"top_k\": 1,"
                + " \"filters\": {\"team\": \"support\"}}", ADMIN).json().path("results").path(0);
        assertThat(found.path("document_id").asLong()).isEqualTo(doc);
    }

    @Test
    void a_fetched_url_is_ingested_and_a_missing_one_fails_the_step() throws Exception {
        try (MockWebServer site = new MockWebServer()) {
            site.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/markdown")
                    .body("# Returns\n\nReturned parcels need the order number on the label.").build());
            site.enqueue(new MockResponse.Builder().code(404).body("gone").build());
            site.start(InetAddress.getByName("127.0.0.1"), 0);
            long flow = server.publishFlow(ingestFlow("\"url\": \"http://127.0.0.1:" + site.getPort() + "/returns.md\""));

            JsonNode done = run(flow, "{\"note\": \"x\"}");
            JsonNode missing = run(flow, "{\"note\": \"x\"}");

            assertThat(done.path("result").path("status").asText()).as(done.toString()).isEqualTo("ready");
            JsonNode found = server.post(BASE + "/" + kb + "/search", "{\"query\": \"what goes on the return label\","
                    + " \"top_k\": 1}", ADMIN).json().path("results").path(0);
            assertThat(found.path("document_id").asLong()).isEqualTo(done.path("result").path("document_id").asLong());
            assertThat(found.path("metadata").path("url").asText()).endsWith("/returns.md");
            assertThat(missing.path("state").asText()).isEqualTo("failed");
            assertThat(missing.path("error").path("message").asText()).contains("answered 404");
        }
    }

    @Test
    void the_rag_example_answers_from_the_passages_it_found_and_names_its_sources() throws Exception {
        TestServer.Answer created = server.post(BASE, "{\"name\": \"handbook\"}", ADMIN);
        long handbook = created.json().path("id").asLong();
        long doc = server.post(BASE + "/" + handbook + "/documents", Json.write(Map.of("name", "guide.md",
                "text", KnowledgeBasesApiTest.GUIDE)), ADMIN).json().path("id").asLong();
        assertThat(KnowledgeBasesApiTest.awaitDocument(handbook, doc, LIMIT).path("status").asText()).isEqualTo("ready");
        try (MockWebServer llm = new MockWebServer()) {
            llm.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                    .body("{\"id\": \"c1\", \"object\": \"chat.completion\", \"model\": \"tiny\", \"choices\": [{\"index\": 0,"
                            + " \"message\": {\"role\": \"assistant\", \"content\": \"Within five working days [1].\"},"
                            + " \"finish_reason\": \"stop\"}], \"usage\": {\"prompt_tokens\": 9, \"completion_tokens\": 6,"
                            + " \"total_tokens\": 15}}").build());
            llm.start(InetAddress.getByName("127.0.0.1"), 0);
            long flow = server.publishFlow(TestServer.example("rag.json").replace("http://localhost:11434/v1",
                    "http://127.0.0.1:" + llm.getPort() + "/v1"));

            JsonNode done = run(flow, "{\"question\": \"How long do refunds take?\"}");

            assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("completed");
            assertThat(done.path("result").path("answer").asText()).isEqualTo("Within five working days [1].");
            JsonNode first = done.path("result").path("sources").path(0);
            assertThat(first.path("source").path("document").asText()).isEqualTo("guide.md");
            assertThat(first.path("source").path("section").asText()).isEqualTo("Refunds");
            String prompt = Json.read(llm.takeRequest().getBody().utf8()).path("messages").path(1).path("content").asText();
            assertThat(prompt).startsWith("Passages:\n[1] guide.md, \"Refunds\"\nRefunds\n\nRefunds are paid")
                    .endsWith("\n\nQuestion: How long do refunds take?");
        }
    }
}
