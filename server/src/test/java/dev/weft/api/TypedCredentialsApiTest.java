package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Base64;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Typed credentials: created and listed without secrets, rotated in place, and kept while published flows use them. */
class TypedCredentialsApiTest {

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

    private static JsonNode listed(String name) {
        for (JsonNode c : server.get("/api/v1/credentials", TestServer.ADMIN_AUTH).json().path("credentials")) {
            if (c.path("name").asText().equals(name)) return c;
        }
        throw new AssertionError("no credential " + name + " listed");
    }

    /** A flow whose http node calls {@code url} with {@code credential} as its auth. */
    static String fetching(String url, String credential) {
        return """
                {"name": "Fetch with NAME", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"q": {"type": "string"}}, "data": {"q": "1"}}},
                  {"id": "fetch", "type": "http", "settings": {"url": "URL", "response": "text",
                    "auth": {"credential": "NAME"}}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"status": {"type": "integer"}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "fetch", "fields_mapping": [{"from_field": "q", "to_field": "q"}]},
                  {"from_node": "fetch", "to_node": "end", "fields_mapping": [{"from_field": "status", "to_field": "status"}]}]}
                """.replace("URL", url).replace("NAME", credential);
    }

    private static void run(long flow) {
        long task = server.post("/api/v1/scade/flow/" + flow + "/execute", "{}", TestServer.ADMIN_AUTH)
                .json().path("id").asLong();
        JsonNode done = server.awaitTask(task, TestServer.ADMIN_AUTH, Duration.ofSeconds(20));
        assertThat(done.path("result").path("status").asInt()).as(done.toString()).isEqualTo(200);
    }

    @Test
    void each_type_is_created_and_listed_with_its_type_and_never_its_secret() {
        assertThat(create("{\"name\": \"t-key\", \"secret\": \"key-s3cret-1\"}").status()).isEqualTo(201);
        assertThat(create("{\"name\": \"t-bearer\", \"type\": \"bearer\", \"secret\": \"bearer-s3cret-2\"}").status())
                .isEqualTo(201);
        TestServer.Answer basic = create("{\"name\": \"t-basic\", \"type\": \"basic\", \"username\": \"ada\","
                + " \"password\": \"basic-s3cret-3\", \"description\": \"the mirror\", \"hosts\": [\"127.0.0.1\"]}");
        assertThat(basic.status()).isEqualTo(201);
        assertThat(basic.json().path("type").asText()).isEqualTo("basic");
        assertThat(basic.json().path("rotated_at").isNull()).isTrue();
        assertThat(create("{\"name\": \"t-headers\", \"type\": \"headers\", \"headers\": {\"X-Api-Key\":"
                + " \"header-s3cret-4\", \"X-Tenant\": \"acme-s3cret-5\"}}").status()).isEqualTo(201);

        String list = server.get("/api/v1/credentials", TestServer.ADMIN_AUTH).text();
        assertThat(list).doesNotContain("s3cret").doesNotContain("ada").doesNotContain("X-Api-Key");
        assertThat(listed("t-key").path("type").asText()).isEqualTo("api_key");
        assertThat(listed("t-bearer").path("type").asText()).isEqualTo("bearer");
        assertThat(listed("t-headers").path("type").asText()).isEqualTo("headers");
        assertThat(listed("t-basic").path("description").asText()).isEqualTo("the mirror");
        assertThat(listed("t-basic").path("used_by").size()).isZero();
    }

    @Test
    void a_wrong_field_of_a_type_is_a_400_naming_it_and_nothing_is_stored() {
        assertThat(field(create("{\"name\": \"bad-1\", \"type\": \"oauth\", \"secret\": \"x\"}"))).isEqualTo("type");
        assertThat(field(create("{\"name\": \"bad-2\", \"type\": \"basic\", \"username\": \"ada\"}"))).isEqualTo("password");
        assertThat(field(create("{\"name\": \"bad-3\", \"type\": \"basic\", \"username\": \"a:b\", \"password\": \"p\"}")))
                .isEqualTo("username");
        assertThat(field(create("{\"name\": \"bad-4\", \"type\": \"headers\", \"headers\": {}}"))).isEqualTo("headers");
        assertThat(field(create("{\"name\": \"bad-5\", \"type\": \"headers\", \"headers\": {\"Bad Name\": \"v\"}}")))
                .isEqualTo("headers.Bad Name");
        assertThat(field(create("{\"name\": \"bad-6\", \"type\": \"headers\", \"headers\": {\"X-A\": \"one\\ntwo\"}}")))
                .isEqualTo("headers.X-A");
        assertThat(server.get("/api/v1/credentials", TestServer.ADMIN_AUTH).text()).doesNotContain("bad-");
    }

    private static String field(TestServer.Answer answer) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        return answer.json().path("errors").path(0).path("field").asText();
    }

    @Test
    void a_rotated_basic_credential_keeps_its_name_and_the_next_run_sends_the_new_password() throws Exception {
        try (MockWebServer target = new MockWebServer()) {
            target.start(InetAddress.getByName("127.0.0.1"), 0);
            target.enqueue(new MockResponse.Builder().code(200).body("one").build());
            target.enqueue(new MockResponse.Builder().code(200).body("two").build());
            create("{\"name\": \"rotating\", \"type\": \"basic\", \"username\": \"ada\", \"password\": \"first-pw\"}");
            long flow = server.publishFlow(fetching("http://127.0.0.1:" + target.getPort() + "/x", "rotating"));
            run(flow);

            TestServer.Answer wrong = server.post("/api/v1/credentials/rotating/rotate", "{\"secret\": \"x\"}",
                    TestServer.ADMIN_AUTH);
            assertThat(wrong.status()).isEqualTo(400);
            assertThat(wrong.json().path("errors").path(0).path("field").asText()).isEqualTo("username");
            assertThat(listed("rotating").path("rotated_at").isNull()).isTrue();
            TestServer.Answer rotated = server.post("/api/v1/credentials/rotating/rotate",
                    "{\"username\": \"ada\", \"password\": \"second-pw\"}", TestServer.ADMIN_AUTH);
            assertThat(rotated.status()).isEqualTo(200);
            assertThat(rotated.json().path("name").asText()).isEqualTo("rotating");
            assertThat(rotated.json().path("type").asText()).isEqualTo("basic");
            assertThat(rotated.json().path("rotated_at").asText()).isNotBlank();
            assertThat(rotated.text()).doesNotContain("second-pw");
            run(flow);

            RecordedRequest first = target.takeRequest();
            RecordedRequest second = target.takeRequest();
            assertThat(first.getHeaders().get("Authorization")).isEqualTo(basic("ada:first-pw"));
            assertThat(second.getHeaders().get("Authorization")).isEqualTo(basic("ada:second-pw"));
            assertThat(server.post("/api/v1/credentials/nobody/rotate", "{\"secret\": \"x\"}", TestServer.ADMIN_AUTH)
                    .status()).isEqualTo(404);
        }
    }

    private static String basic(String userPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userPassword.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void a_credential_a_published_version_uses_is_not_deleted_and_the_flows_are_named() {
        create("{\"name\": \"in-use\", \"type\": \"bearer\", \"secret\": \"tok\"}");
        create("{\"name\": \"draft-only\", \"secret\": \"tok\"}");
        long published = server.publishFlow(fetching("https://example.com/a", "in-use"));
        long draft = server.post("/api/v1/flows", fetching("https://example.com/b", "draft-only"), TestServer.ADMIN_AUTH)
                .json().path("id").asLong();

        TestServer.Answer refused = server.send("DELETE", "/api/v1/credentials/in-use", null, null, TestServer.ADMIN_AUTH);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("errors").path(0).path("message").asText())
                .contains("flow " + published + " 'Fetch with in-use' (version 1)");
        assertThat(server.get("/api/v1/credentials/in-use", TestServer.ADMIN_AUTH).status()).isEqualTo(200);
        JsonNode use = listed("in-use").path("used_by").path(0);
        assertThat(use.path("flow_id").asLong()).isEqualTo(published);
        assertThat(use.path("versions").toString()).isEqualTo("[1]");
        assertThat(use.path("draft").asBoolean()).isTrue();

        JsonNode draftUse = listed("draft-only").path("used_by").path(0);
        assertThat(draftUse.path("flow_id").asLong()).isEqualTo(draft);
        assertThat(draftUse.path("versions").size()).isZero();
        assertThat(server.send("DELETE", "/api/v1/credentials/draft-only", null, null, TestServer.ADMIN_AUTH).status())
                .isEqualTo(204);

        // once the flow is deleted, no run can use its versions: the credential may go
        server.send("DELETE", "/api/v1/flows/" + published, null, null, TestServer.ADMIN_AUTH);
        assertThat(server.send("DELETE", "/api/v1/credentials/in-use", null, null, TestServer.ADMIN_AUTH).status())
                .isEqualTo(204);
    }

    @Test
    void a_credential_an_mcp_server_sends_is_listed_with_it_and_not_deleted_until_the_server_stops_naming_it() {
        create("{\"name\": \"mcp-token\", \"type\": \"bearer\", \"secret\": \"tok\"}");
        TestServer.Answer server1 = server.post("/api/v1/mcp-servers", "{\"name\": \"docs\", \"transport\": \"http\","
                + " \"url\": \"https://mcp.example.com/mcp\", \"headers\": {\"Authorization\": \"mcp-token\"}}",
                TestServer.ADMIN_AUTH);
        assertThat(server1.status()).as(server1.text()).isEqualTo(201);

        assertThat(listed("mcp-token").path("mcp_servers").toString()).isEqualTo("[\"docs\"]");
        assertThat(server.get("/api/v1/credentials/mcp-token", TestServer.ADMIN_AUTH).json().path("mcp_servers")
                .toString()).isEqualTo("[\"docs\"]");
        TestServer.Answer refused = server.send("DELETE", "/api/v1/credentials/mcp-token", null, null, TestServer.ADMIN_AUTH);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("errors").path(0).path("message").asText()).isEqualTo("credential 'mcp-token' is sent"
                + " in the headers of MCP server docs, so change those servers' headers first (or rotate the credential to"
                + " change its secret)");
        assertThat(server.get("/api/v1/credentials/mcp-token", TestServer.ADMIN_AUTH).status()).isEqualTo(200);

        assertThat(server.send("DELETE", "/api/v1/mcp-servers/docs", null, null, TestServer.ADMIN_AUTH).status())
                .isEqualTo(204);
        assertThat(listed("mcp-token").path("mcp_servers").size()).isZero();
        assertThat(server.send("DELETE", "/api/v1/credentials/mcp-token", null, null, TestServer.ADMIN_AUTH).status())
                .isEqualTo(204);
    }
}
