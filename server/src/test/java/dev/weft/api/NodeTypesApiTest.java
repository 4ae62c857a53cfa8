package dev.weft.api;

import dev.weft.http.ProblemMapper;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NodeTypesApiTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void the_catalogue_lists_every_node_type_with_its_schema_ports_and_fields() {
        TestServer.Answer answer = server.get("/api/v1/node-types", TestServer.ADMIN_AUTH);

        assertThat(answer.status()).isEqualTo(200);
        List<String> types = new ArrayList<>();
        for (JsonNode type : answer.json().path("node_types")) {
            types.add(type.path("type").asText());
            assertThat(type.path("title").asText()).as(type.toString()).isNotBlank();
            assertThat(type.path("settings_schema").path("type").asText()).as(type.toString()).isEqualTo("object");
        }
        assertThat(types).contains("start", "end", "if", "template", "transform", "http", "llm", "code", "switch",
                "merge", "delay", "subflow", "map", "python");
        JsonNode condition = null;
        for (JsonNode type : answer.json().path("node_types")) if (type.path("type").asText().equals("if")) condition = type;
        assertThat(condition.path("category").asText()).isEqualTo("logic");
        assertThat(condition.path("ports")).isEqualTo(Json.read("[\"true\", \"false\"]"));
        assertThat(condition.path("settings_schema").path("properties").path("operator").path("enum").size()).isEqualTo(10);
    }

    @Test
    void one_node_type_is_read_with_a_server_key() {
        String key = server.newKeyAuth("catalogue");

        TestServer.Answer answer = server.get("/api/v1/node-types/template", key);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("type").asText()).isEqualTo("template");
        assertThat(answer.json().path("outputs")).isEqualTo(Json.read("[\"text\"]"));
        assertThat(answer.json().path("output_types")).isEqualTo(Json.read("{\"text\": \"string\"}"));
        assertThat(server.get("/api/v1/node-types/http", key).json().path("output_types"))
                .as("typed outputs only; body may hold anything").isEqualTo(Json.read("{\"status\": \"integer\", \"headers\": \"object\"}"));
        assertThat(server.get("/api/v1/node-types/transform", key).json().path("output_types")).isEqualTo(Json.read("{}"));
        assertThat(answer.json().path("settings_schema").path("required")).isEqualTo(Json.read("[\"template\"]"));
        assertThat(answer.json().path("locked_settings")).isEqualTo(Json.read("[]"));
        assertThat(server.get("/api/v1/node-types/http", TestServer.ADMIN_AUTH).json().path("locked_settings"))
                .as("settings a run may not override unless the flow opens them")
                .isEqualTo(Json.read("[\"auth\", \"headers\", \"url\"]"));
    }

    @Test
    void the_catalogue_needs_a_credential() {
        TestServer.Answer answer = server.get("/api/v1/node-types", null);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.contentType()).startsWith(ProblemMapper.CONTENT_TYPE);
        assertThat(answer.json().path("type").asText()).isEqualTo("/problems/unauthorized");
    }

    @Test
    void an_unknown_node_type_is_a_404_naming_it() {
        TestServer.Answer answer = server.get("/api/v1/node-types/teleport", TestServer.ADMIN_AUTH);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().path("detail").asText()).isEqualTo("no node type 'teleport'");
    }
}
