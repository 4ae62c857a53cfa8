package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FlowsApiTest {

    static final String ADMIN = TestServer.ADMIN_AUTH;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(config -> config.withMaxBodyBytes(256 * 1024));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long create(String document) {
        TestServer.Answer answer = server.post("/api/v1/flows", document, ADMIN);
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.json().path("id").asLong();
    }

    @Test
    void a_flow_is_created_read_listed_updated_and_deleted() {
        long id = create(TestServer.example("hello.json"));
        JsonNode flow = server.get("/api/v1/flows/" + id, ADMIN).json();
        assertThat(flow.path("name").asText()).isEqualTo("Hello");
        assertThat(flow.path("latest_version").isNull()).isTrue();
        assertThat(flow.path("document").path("nodes")).hasSize(3);

        JsonNode list = server.get("/api/v1/flows", ADMIN).json().path("flows");
        assertThat(list.findValues("id").stream().map(JsonNode::asLong)).contains(id);

        ObjectNode renamed = (ObjectNode) Json.read(TestServer.example("hello.json"));
        renamed.put("name", "Hello again");
        TestServer.Answer updated = server.send("PUT", "/api/v1/flows/" + id, Json.write(renamed), "application/json", ADMIN);
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().path("name").asText()).isEqualTo("Hello again");

        assertThat(server.send("DELETE", "/api/v1/flows/" + id, null, null, ADMIN).status()).isEqualTo(204);
        assertThat(server.get("/api/v1/flows/" + id, ADMIN).status()).isEqualTo(404);
    }

    @Test
    void publish_makes_numbered_immutable_versions() {
        long id = create(TestServer.example("hello.json"));
        assertThat(server.post("/api/v1/flows/" + id + "/publish", null, ADMIN).json().path("version").asInt()).isEqualTo(1);
        ObjectNode changed = (ObjectNode) Json.read(TestServer.example("hello.json"));
        ((ObjectNode) changed.path("nodes").get(1).path("settings")).put("template", "Hi, {{start.name}}.");
        server.send("PUT", "/api/v1/flows/" + id, Json.write(changed), "application/json", ADMIN);
        assertThat(server.post("/api/v1/flows/" + id + "/publish", null, ADMIN).json().path("version").asInt()).isEqualTo(2);

        JsonNode v1 = server.get("/api/v1/flows/" + id + "/versions/1", ADMIN).json();
        assertThat(v1.path("document").path("nodes").get(1).path("settings").path("template").asText())
                .isEqualTo("Hello, {{start.name}}!");
        assertThat(server.get("/api/v1/flows/" + id + "/versions", ADMIN).json().path("versions")).hasSize(2);
        assertThat(server.get("/api/v1/flows/" + id, ADMIN).json().path("latest_version").asInt()).isEqualTo(2);
    }

    @Test
    void nodes_without_ids_get_generated_ones() {
        String document = """
                {"name": "ids", "nodes": [
                  {"id": "s", "type": "start", "settings": {"inputs": {"x": {"type": "string"}}}},
                  {"type": "template", "settings": {"template": "t"}},
                  {"id": "e", "type": "end", "settings": {"outputs": {"y": {"type": "string"}}}}],
                 "edges": [{"from_node": "s", "to_node": "e", "fields_mapping": [{"from_field": "x", "to_field": "y"}]}]}""";
        TestServer.Answer answer = server.post("/api/v1/flows", document, ADMIN);
        // The generated node has no incoming edge, which the validator refuses: the id is generated before validation.
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("errors").get(0).path("message").asText()).matches(
                "node '[A-Za-z0-9]{4}-template' has no incoming edge.*");
    }

    @Test
    void a_draft_may_hold_a_node_not_connected_yet_and_publishing_refuses_it_naming_the_node() {
        long id = create(TestServer.example("hello.json"));
        JsonNode draft = server.get("/api/v1/flows/" + id, ADMIN).json().path("document");
        ((com.fasterxml.jackson.databind.node.ArrayNode) draft.path("nodes")).addObject().put("id", "added").put("type", "template")
                .putObject("settings").put("template", "x");
        assertThat(server.send("PUT", "/api/v1/flows/" + id, Json.write(draft), "application/json", ADMIN).status()).isEqualTo(200);
        assertThat(server.get("/api/v1/flows/" + id, ADMIN).json().path("document").path("nodes").findValuesAsText("id"))
                .contains("added");

        TestServer.Answer refused = server.post("/api/v1/flows/" + id + "/publish", null, ADMIN);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("errors").get(0).path("field").asText()).isEqualTo("nodes[3]");
        assertThat(refused.json().path("errors").get(0).path("message").asText()).contains("'added' has no incoming edge");
        assertThat(server.get("/api/v1/flows/" + id, ADMIN).json().path("latest_version").isNull()).isTrue();
    }

    @Test
    void an_invalid_document_is_refused_with_every_problem_and_nothing_changes() {
        long id = create(TestServer.example("hello.json"));
        JsonNode before = server.get("/api/v1/flows/" + id, ADMIN).json();
        String broken = """
                {"name": "broken", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"name": {"type": "string"}}}},
                  {"id": "a", "type": "template", "settings": {"template": "{{b.text}}"}},
                  {"id": "b", "type": "template", "settings": {"template": "x"}},
                  {"id": "c", "type": "teleport"},
                  {"id": "end", "type": "end", "settings": {"outputs": {"out": {"type": "string"}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "a", "fields_mapping": [{"from_field": "name", "to_field": "@"}]},
                  {"from_node": "a", "to_node": "b", "fields_mapping": [{"from_field": "text", "to_field": "x"}]},
                  {"from_node": "b", "to_node": "a", "fields_mapping": [{"from_field": "text", "to_field": "y"}]},
                  {"from_node": "b", "to_node": "ghost", "fields_mapping": [{"from_field": "text", "to_field": "y"}]}]}""";

        TestServer.Answer answer = server.send("PUT", "/api/v1/flows/" + id, broken, "application/json", ADMIN);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("type").asText()).isEqualTo("/problems/invalid-input");
        assertThat(answer.json().path("errors").findValuesAsText("field"))
                .containsExactly("nodes[3].type", "edges[3].to_node");
        assertThat(server.get("/api/v1/flows/" + id, ADMIN).json()).isEqualTo(before);
    }

    @Test
    void a_cycle_is_refused_with_its_path() {
        String cycle = """
                {"nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"n": {"type": "string"}}}},
                  {"id": "a", "type": "template", "settings": {"template": "1"}},
                  {"id": "b", "type": "template", "settings": {"template": "2"}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"out": {"type": "string"}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "a", "fields_mapping": [{"from_field": "n", "to_field": "n"}]},
                  {"from_node": "a", "to_node": "b", "fields_mapping": [{"from_field": "text", "to_field": "t"}]},
                  {"from_node": "b", "to_node": "a", "fields_mapping": [{"from_field": "text", "to_field": "t"}]},
                  {"from_node": "b", "to_node": "end", "fields_mapping": [{"from_field": "text", "to_field": "out"}]}]}""";
        int flowsBefore = server.get("/api/v1/flows", ADMIN).json().path("flows").size();

        TestServer.Answer answer = server.post("/api/v1/flows", cycle, ADMIN);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("errors")).isEqualTo(Json.read(
                "[{\"field\": \"edges\", \"message\": \"the edges form a cycle: a -> b -> a\"}]"));
        assertThat(server.get("/api/v1/flows", ADMIN).json().path("flows")).hasSize(flowsBefore);
    }

    @Test
    void a_body_over_the_size_limit_is_a_413() {
        String big = "{\"name\": \"" + "x".repeat(300 * 1024) + "\"}";
        TestServer.Answer answer = server.post("/api/v1/flows", big, ADMIN);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.contentType()).startsWith("application/problem+json");
    }

    @Test
    void the_management_api_needs_the_admin_token() {
        TestServer.Answer answer = server.get("/api/v1/flows", "Bearer wrong");
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.json().path("detail").asText()).isEqualTo("wrong admin token");
        assertThat(server.post("/api/v1/keys", "{\"name\": \"x\"}", null).status()).isEqualTo(401);
    }

    @Test
    void a_key_is_shown_once_and_listed_without_its_secret() {
        JsonNode created = server.post("/api/v1/keys", "{\"name\": \"backend\"}", ADMIN).json();
        assertThat(created.path("key").asText()).isNotEmpty();
        JsonNode listed = server.get("/api/v1/keys", ADMIN).json().path("keys");
        JsonNode entry = null;
        for (JsonNode key : listed) if (key.path("id").asText().equals(created.path("id").asText())) entry = key;
        assertThat(entry).isNotNull();
        assertThat(entry.has("key")).isFalse();
        assertThat(entry.toString()).doesNotContain(created.path("key").asText());
        assertThat(server.post("/api/v1/keys", "{}", ADMIN).json().path("errors").get(0).path("field").asText())
                .isEqualTo("name");
    }
}
