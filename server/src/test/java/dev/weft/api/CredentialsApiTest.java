package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CredentialsApiTest {

    private static final String SECRET = "sk-test-secret-4f1c9a";
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestServer.Answer create(String body) {
        return server.post("/api/v1/credentials", body, TestServer.ADMIN_AUTH);
    }

    @Test
    void a_created_credential_is_listed_and_read_without_its_secret() {
        TestServer.Answer created = create("{\"name\": \"listed\", \"description\": \"a test key\", \"secret\": \""
                + SECRET + "\", \"hosts\": [\"API.openai.com\", \"*.example.com\"]}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("name").asText()).isEqualTo("listed");
        assertThat(created.json().path("description").asText()).isEqualTo("a test key");
        assertThat(created.json().path("hosts")).isEqualTo(Json.read("[\"api.openai.com\", \"*.example.com\"]"));
        assertThat(created.text()).doesNotContain(SECRET).doesNotContain("secret");
        TestServer.Answer list = server.get("/api/v1/credentials", TestServer.ADMIN_AUTH);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.text()).contains("\"listed\"").doesNotContain(SECRET);
        TestServer.Answer one = server.get("/api/v1/credentials/listed", TestServer.ADMIN_AUTH);
        assertThat(one.json().fieldNames()).toIterable().containsExactly("name", "type", "description", "hosts",
                "created_at", "rotated_at", "used_by", "mcp_servers", "webhooks");
    }

    @Test
    void a_taken_name_is_a_conflict_and_a_deleted_credential_is_gone() {
        create("{\"name\": \"twice\", \"secret\": \"one\"}");

        TestServer.Answer again = create("{\"name\": \"twice\", \"secret\": \"two\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("errors").path(0).path("field").asText()).isEqualTo("name");

        assertThat(server.send("DELETE", "/api/v1/credentials/twice", null, null, TestServer.ADMIN_AUTH).status()).isEqualTo(204);
        assertThat(server.send("DELETE", "/api/v1/credentials/twice", null, null, TestServer.ADMIN_AUTH).status()).isEqualTo(404);
        assertThat(server.get("/api/v1/credentials/twice", TestServer.ADMIN_AUTH).status()).isEqualTo(404);
    }

    @Test
    void bad_input_names_the_field() {
        TestServer.Answer answer = create("{\"name\": \"has space\", \"secret\": \"\"}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("errors").path(0).path("field").asText()).isEqualTo("name");
        assertThat(create("{\"name\": \"ok\"}").json().path("errors").path(0).path("field").asText()).isEqualTo("secret");
        assertThat(create("{\"name\": \"ok\", \"secret\": \"s\", \"hosts\": [\"a b\"]}").json().path("errors").path(0)
                .path("field").asText()).isEqualTo("hosts[0]");
    }

    @Test
    void credentials_need_the_admin_token_even_to_list() {
        String key = server.newKeyAuth("not-admin");

        assertThat(server.get("/api/v1/credentials", key).status()).isEqualTo(401);
        assertThat(server.get("/api/v1/credentials", null).status()).isEqualTo(401);
    }

    @Test
    void an_llm_node_sends_the_stored_key_and_no_record_or_answer_shows_it() throws Exception {
        try (MockWebServer provider = new MockWebServer()) {
            provider.start(InetAddress.getByName("127.0.0.1"), 0);
            provider.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
                    .body("{\"id\": \"c1\", \"object\": \"chat.completion\", \"model\": \"tiny\", \"choices\": [{\"index\": 0,"
                            + " \"message\": {\"role\": \"assistant\", \"content\": \"Paris\"}, \"finish_reason\": \"stop\"}],"
                            + " \"usage\": {\"prompt_tokens\": 9, \"completion_tokens\": 1, \"total_tokens\": 10}}").build());
            create("{\"name\": \"provider\", \"secret\": \"" + SECRET + "\", \"hosts\": [\"127.0.0.1\"]}");
            String flow = """
                    {"name": "Ask", "nodes": [
                      {"id": "start", "type": "start", "settings": {"inputs": {"q": {"type": "string", "required": true}}}},
                      {"id": "ask", "type": "llm", "settings": {"provider": "openai", "base_url": "BASE",
                        "credential": "provider", "model": "tiny", "user": "{{q}}"}},
                      {"id": "end", "type": "end", "settings": {"outputs": {"answer": {"type": "string"}}}}],
                     "edges": [
                      {"from_node": "start", "to_node": "ask", "fields_mapping": [{"from_field": "q", "to_field": "q"}]},
                      {"from_node": "ask", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "answer"}]}]}
                    """.replace("BASE", "http://127.0.0.1:" + provider.getPort() + "/v1");
            long flowId = server.publishFlow(flow);

            long task = server.post("/api/v1/scade/flow/" + flowId + "/execute",
                    "{\"node_settings\": {\"start\": {\"data\": {\"q\": \"Capital of France?\"}}}}", TestServer.ADMIN_AUTH)
                    .json().path("id").asLong();
            JsonNode done = server.awaitTask(task, TestServer.ADMIN_AUTH, Duration.ofSeconds(20));

            assertThat(done.path("result")).isEqualTo(Json.read("{\"answer\": \"Paris\"}"));
            RecordedRequest request = provider.takeRequest();
            assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + SECRET);
            assertThat(Json.read(request.getBody().utf8()).path("messages").path(0).path("content").asText())
                    .isEqualTo("Capital of France?");
            assertThat(server.get("/api/v1/task/" + task + "/steps", TestServer.ADMIN_AUTH).text()).doesNotContain(SECRET);
            // the step's rendered settings show the prompt as sent and the credential by name only
            JsonNode rendered = server.get("/api/v1/task/" + task + "/steps", TestServer.ADMIN_AUTH).json().path("steps")
                    .findParents("node_id").stream().filter(s -> s.path("node_id").asText().equals("ask")).findFirst()
                    .orElseThrow().path("rendered_settings");
            assertThat(rendered.path("user").asText()).isEqualTo("Capital of France?");
            assertThat(rendered.path("credential").asText()).isEqualTo("provider");
            assertThat(server.get("/api/v1/flows/" + flowId, TestServer.ADMIN_AUTH).text()).doesNotContain(SECRET);

            // A run may not point the node elsewhere: base_url is locked unless the flow opens it.
            String elsewhere = "{\"node_settings\": {\"start\": {\"data\": {\"q\": \"x\"}}, \"ask\": {\"data\":"
                    + " {\"base_url\": \"http://localhost:" + provider.getPort() + "/v1\"}}}}";
            TestServer.Answer locked = server.post("/api/v1/scade/flow/" + flowId + "/execute", elsewhere,
                    TestServer.ADMIN_AUTH);
            assertThat(locked.status()).isEqualTo(400);
            assertThat(locked.json().path("errors").get(0).path("field").asText())
                    .isEqualTo("node_settings.ask.data.base_url");

            // Where the author opened it, the credential's host binding still keeps the key from going elsewhere.
            long opened = server.publishFlow(flow.replace("\"type\": \"llm\",",
                    "\"type\": \"llm\", \"overridable\": [\"base_url\"],"));
            long redirected = server.post("/api/v1/scade/flow/" + opened + "/execute", elsewhere, TestServer.ADMIN_AUTH)
                    .json().path("id").asLong();
            JsonNode refused = server.awaitTask(redirected, TestServer.ADMIN_AUTH, Duration.ofSeconds(20));
            assertThat(refused.path("state").asText()).isEqualTo("failed");
            assertThat(refused.path("error").path("type").asText()).isEqualTo("credential_refused");
            assertThat(provider.getRequestCount()).isEqualTo(1);
        }
    }

    @Test
    void the_master_key_is_kept_in_the_data_folder() {
        assertThat(Files.exists(server.dataDir().resolve("master-key"))).isTrue();
    }
}
