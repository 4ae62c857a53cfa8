package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A version's diff against the draft or another version, restoring a version as the draft, and who published. */
class VersionDiffApiTest {

    static TestServer server;

    /** Version 2 of hello: another greeting, and a "shout" node between greet and end. */
    static final String V2 = """
            {"name": "Hello", "nodes": [
              {"id": "start", "type": "start", "settings": {"inputs": {"name": {"type": "string", "required": true}}}},
              {"id": "greet", "type": "template", "settings": {"template": "Hi, {{start.name}}!"}},
              {"id": "shout", "type": "template", "settings": {"template": "{{greet.text}}!!"}},
              {"id": "end", "type": "end", "settings": {"outputs": {"greeting": {"type": "string", "title": "Greeting"}}}}],
             "edges": [
              {"from_node": "start", "to_node": "greet", "fields_mapping": [{"from_field": "name", "to_field": "name"}]},
              {"from_node": "greet", "to_node": "shout", "fields_mapping": [{"from_field": "text", "to_field": "text"}]},
              {"from_node": "shout", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "greeting"}]}]}
            """;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A flow with version 1 (hello) and version 2 (V2); its draft is V2. */
    private static long twoVersions() {
        long flow = server.publishFlow(TestServer.example("hello.json"));
        assertThat(server.send("PUT", "/api/v1/flows/" + flow, V2, "application/json", TestServer.ADMIN_AUTH).status())
                .isEqualTo(200);
        assertThat(server.post("/api/v1/flows/" + flow + "/publish", null, TestServer.ADMIN_AUTH, "User-Agent",
                "weft-cli").status()).isEqualTo(201);
        return flow;
    }

    private static JsonNode diff(long flow, int version, String against) {
        TestServer.Answer answer = server.get("/api/v1/flows/" + flow + "/versions/" + version + "/diff"
                + (against == null ? "" : "?against=" + against), TestServer.ADMIN_AUTH);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.json();
    }

    @Test
    void a_version_against_an_older_one_names_nodes_added_and_each_changed_setting_and_edge() {
        long flow = twoVersions();

        JsonNode diff = diff(flow, 2, "1");

        assertThat(diff.path("against").asInt()).isEqualTo(1);
        assertThat(diff.path("identical").asBoolean()).isFalse();
        assertThat(diff.path("nodes").path("added")).isEqualTo(Json.read("[{\"id\": \"shout\", \"type\": \"template\"}]"));
        assertThat(diff.path("nodes").path("removed").size()).isZero();
        assertThat(diff.path("nodes").path("changed").findValuesAsText("id")).containsExactly("start", "greet", "end");
        JsonNode greet = diff.path("nodes").path("changed").path(1);
        assertThat(greet.path("settings")).isEqualTo(Json.read("[{\"path\": \"template\", \"change\": \"changed\","
                + " \"before\": \"Hello, {{start.name}}!\", \"after\": \"Hi, {{start.name}}!\"}]"));
        assertThat(greet.path("edges_added").path(0).path("text").asText()).isEqualTo("greet -> shout (text -> text)");
        assertThat(greet.path("edges_removed").path(0).path("text").asText()).isEqualTo("greet -> end (text -> greeting)");
        JsonNode start = diff.path("nodes").path("changed").path(0);
        assertThat(start.path("settings")).isEqualTo(Json.read("[{\"path\": \"inputs.name.title\", \"change\":"
                + " \"removed\", \"before\": \"Name\"}, {\"path\": \"inputs.name.x-order\", \"change\": \"removed\","
                + " \"before\": 0}]"));
        assertThat(start.path("edges_added").size()).isZero();
        JsonNode end = diff.path("nodes").path("changed").path(2);
        assertThat(end.path("settings").size()).isZero();
        assertThat(end.path("edges_added").path(0).path("text").asText()).isEqualTo("shout -> end (text -> greeting)");
        assertThat(diff.path("summary")).isEqualTo(Json.read("{\"nodes_added\": 1, \"nodes_removed\": 0,"
                + " \"nodes_changed\": 3, \"edges_added\": 2, \"edges_removed\": 1}"));
        // the other way round, the node is removed
        assertThat(diff(flow, 1, "2").path("nodes").path("removed").path(0).path("id").asText()).isEqualTo("shout");
    }

    @Test
    void against_the_draft_by_default_and_a_moved_node_is_no_change() {
        long flow = twoVersions();
        String moved = V2.replace("\"id\": \"shout\", \"type\": \"template\",",
                "\"id\": \"shout\", \"type\": \"template\", \"position\": {\"x\": 400, \"y\": 80},");
        server.send("PUT", "/api/v1/flows/" + flow, moved, "application/json", TestServer.ADMIN_AUTH);

        JsonNode diff = diff(flow, 2, null);

        assertThat(diff.path("against").asText()).isEqualTo("draft");
        assertThat(diff.path("identical").asBoolean()).as(diff.toString()).isTrue();
        assertThat(diff(flow, 1, "draft").path("nodes").path("removed").path(0).path("id").asText()).isEqualTo("shout");
    }

    @Test
    void restoring_a_version_makes_it_the_draft_and_leaves_every_version_as_it_was() {
        long flow = twoVersions();
        JsonNode v2Before = server.get("/api/v1/flows/" + flow + "/versions/2", TestServer.ADMIN_AUTH).json();

        TestServer.Answer restored = server.post("/api/v1/flows/" + flow + "/versions/1/restore", null,
                TestServer.ADMIN_AUTH);

        assertThat(restored.status()).isEqualTo(200);
        assertThat(restored.json().path("restored_version").asInt()).isEqualTo(1);
        assertThat(restored.json().path("latest_version").asInt()).isEqualTo(2);
        JsonNode v1 = server.get("/api/v1/flows/" + flow + "/versions/1", TestServer.ADMIN_AUTH).json();
        assertThat(server.get("/api/v1/flows/" + flow, TestServer.ADMIN_AUTH).json().path("document"))
                .isEqualTo(v1.path("document"));
        assertThat(diff(flow, 1, "draft").path("identical").asBoolean()).isTrue();
        assertThat(server.get("/api/v1/flows/" + flow + "/versions", TestServer.ADMIN_AUTH).json().path("versions").size())
                .isEqualTo(2);
        assertThat(server.get("/api/v1/flows/" + flow + "/versions/2", TestServer.ADMIN_AUTH).json()).isEqualTo(v2Before);
    }

    @Test
    void each_version_records_who_published_it() {
        long flow = twoVersions();

        JsonNode versions = server.get("/api/v1/flows/" + flow + "/versions", TestServer.ADMIN_AUTH).json().path("versions");

        assertThat(versions.path(0).path("published_by").asText()).isEqualTo("admin token");
        assertThat(versions.path(1).path("published_by").asText()).isEqualTo("admin token (CLI)");
    }

    @Test
    void a_missing_flow_or_version_is_a_404_naming_it_and_a_bad_against_a_400() {
        long flow = twoVersions();
        JsonNode draft = server.get("/api/v1/flows/" + flow, TestServer.ADMIN_AUTH).json();

        assertProblem(server.get("/api/v1/flows/999999/versions/1/diff", TestServer.ADMIN_AUTH), 404, "flow_id");
        assertProblem(server.get("/api/v1/flows/" + flow + "/versions/7/diff", TestServer.ADMIN_AUTH), 404, "version");
        assertProblem(server.get("/api/v1/flows/" + flow + "/versions/1/diff?against=7", TestServer.ADMIN_AUTH), 404,
                "against");
        assertProblem(server.get("/api/v1/flows/" + flow + "/versions/1/diff?against=latest", TestServer.ADMIN_AUTH),
                400, "against");
        assertProblem(server.get("/api/v1/flows/" + flow + "/versions/1/diff?against=-1", TestServer.ADMIN_AUTH), 400,
                "against");
        assertProblem(server.post("/api/v1/flows/" + flow + "/versions/7/restore", null, TestServer.ADMIN_AUTH), 404,
                "version");
        assertProblem(server.post("/api/v1/flows/999999/versions/1/restore", null, TestServer.ADMIN_AUTH), 404, "flow_id");
        assertThat(server.post("/api/v1/flows/" + flow + "/versions/1/restore", null, server.newKeyAuth("no-admin"))
                .status()).isEqualTo(401);
        assertThat(server.get("/api/v1/flows/" + flow, TestServer.ADMIN_AUTH).json()).isEqualTo(draft);
    }

    private static void assertProblem(TestServer.Answer answer, int status, String field) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().path("errors").path(0).path("field").asText()).isEqualTo(field);
    }
}
