package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import dev.weft.server.ClusterConfig;
import dev.weft.store.testing.TestPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Importing a Scade export through {@code POST /api/v1/flows} on a real server, on both databases: the real export
 * comes over whole and the answer lists what was mapped and what needs attention; a draft with a placeholder
 * saves but does not publish; a broken export is a 400 naming the field, with nothing stored.
 */
class ScadeImportApiTest {

    static final String ADMIN = TestServer.ADMIN_AUTH;
    static final String REAL = TestServer.resource("scade-export.json");
    static final List<String> FOOOCUS = List.of("tqAT-vetkastar-fooocus", "mbdQ-vetkastar-fooocus",
            "UYiG-vetkastar-fooocus");

    static Stream<Arguments> databases() {
        Supplier<TestServer> sqlite = TestServer::start;
        Supplier<TestServer> postgres = () -> {
            String url = TestPostgres.newDatabase();
            return TestServer.startWith(c -> c.withCluster(ClusterConfig.defaults().withDbUrl(url)));
        };
        return Stream.of(Arguments.of("sqlite", sqlite), Arguments.of("postgresql", postgres));
    }

    /** An export with one node of a processor Weft has no node for, between start and end. */
    static final String WITH_UNKNOWN = """
            {"id": 7, "name": "Expressions", "config": {"nodes": [
              {"id": "start", "data": {"processor": "start", "settings": {"inputs": {"a": {"type": "number"}}}}},
              {"id": "Ex01-expression", "data": {"name": "Expression", "processor": "expression-editor",
               "settings": {"expression": "a + 1"}}},
              {"id": "end", "data": {"processor": "end", "settings": {"inputs": {"out": {"type": "number"}}}}}],
             "edges": [
              {"from_node": "start", "to_node": "Ex01-expression", "fields_mapping": [{"from_field": "a", "to_field": "a"}]},
              {"from_node": "Ex01-expression", "to_node": "end", "fields_mapping": [{"from_field": "success", "to_field": "out"}]}]}}""";

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void the_real_export_imports_whole_and_the_answer_lists_what_was_mapped_and_what_needs_attention(
            String database, Supplier<TestServer> start) {
        try (TestServer server = start.get()) {
            boolean hasModel = types(server).contains("model");

            TestServer.Answer answer = server.post("/api/v1/flows", REAL, ADMIN);

            assertThat(answer.status()).as(answer.text()).isEqualTo(201);
            JsonNode created = answer.json();
            JsonNode document = server.get("/api/v1/flows/" + created.path("id").asLong(), ADMIN).json().path("document");
            assertThat(document.path("nodes")).hasSize(8);
            assertThat(document.path("edges")).hasSize(20);
            assertThat(document).isEqualTo(created.path("document"));
            String fooocusType = hasModel ? "model" : "scade_placeholder";
            for (JsonNode node : document.path("nodes")) {
                if (FOOOCUS.contains(node.path("id").asText())) {
                    assertThat(node.path("type").asText()).isEqualTo(fooocusType);
                }
            }
            JsonNode report = created.path("import");
            List<String> mapped = new ArrayList<>();
            report.path("mapped").forEach(m -> mapped.add(m.path("node_id").asText() + " -> " + m.path("type").asText()));
            assertThat(mapped).contains("wFps-if-condition-stop-execution -> if", "XC4n-if-condition-stop-execution -> if",
                    "CQFu-if-condition-stop-execution -> if");
            if (hasModel) assertThat(mapped).contains("tqAT-vetkastar-fooocus -> model");
            assertThat(report.path("needs_attention").findValuesAsText("node_id")).containsExactlyElementsOf(FOOOCUS);
            assertThat(report.path("needs_attention").findValuesAsText("processor")).containsOnly("mlscade/fooocus");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_draft_with_a_placeholder_saves_but_publishing_it_is_refused_naming_the_node(
            String database, Supplier<TestServer> start) {
        try (TestServer server = start.get()) {
            TestServer.Answer created = server.post("/api/v1/flows", WITH_UNKNOWN, ADMIN);
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            long id = created.json().path("id").asLong();
            assertThat(created.json().path("import")).isEqualTo(Json.read("""
                    {"mapped": [], "needs_attention": [{"node_id": "Ex01-expression", "processor": "expression-editor",
                     "reason": "Weft has no node for this Scade processor; kept as a placeholder that needs replacing"}]}"""));
            JsonNode draft = created.json().path("document");
            TestServer.Answer saved = server.send("PUT", "/api/v1/flows/" + id, Json.write(draft), "application/json", ADMIN);
            assertThat(saved.status()).as(saved.text()).isEqualTo(200);

            TestServer.Answer published = server.post("/api/v1/flows/" + id + "/publish", null, ADMIN);

            assertThat(published.status()).isEqualTo(400);
            assertThat(published.contentType()).startsWith("application/problem+json");
            assertThat(published.json().path("errors")).isEqualTo(Json.read("""
                    [{"field": "nodes[1]", "message":
                      "node 'Ex01-expression' (Scade processor 'expression-editor') needs replacing before publishing"}]"""));
            assertThat(server.get("/api/v1/flows/" + id + "/versions", ADMIN).json().path("versions")).isEmpty();
            assertThat(server.get("/api/v1/flows/" + id, ADMIN).json().path("latest_version").isNull()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_broken_export_is_a_400_naming_the_field_and_nothing_is_stored(String database, Supplier<TestServer> start) {
        try (TestServer server = start.get()) {
            server.post("/api/v1/flows", TestServer.example("hello.json"), ADMIN);
            JsonNode before = server.get("/api/v1/flows", ADMIN).json();
            String dangling = WITH_UNKNOWN.replace("\"to_node\": \"end\"", "\"to_node\": \"gone\"");
            String noId = WITH_UNKNOWN.replace("{\"id\": \"Ex01-expression\", ", "{");

            TestServer.Answer danglingAnswer = server.post("/api/v1/flows", dangling, ADMIN);
            TestServer.Answer noIdAnswer = server.post("/api/v1/flows", noId, ADMIN);
            TestServer.Answer notJson = server.post("/api/v1/flows", REAL.substring(0, REAL.length() / 2), ADMIN);

            assertThat(danglingAnswer.status()).isEqualTo(400);
            assertThat(danglingAnswer.json().path("errors")).isEqualTo(Json.read(
                    "[{\"field\": \"config.edges[1].to_node\", \"message\": \"no node of the export has id 'gone'\"}]"));
            assertThat(noIdAnswer.status()).isEqualTo(400);
            assertThat(noIdAnswer.json().path("errors").findValuesAsText("field")).containsExactly("config.nodes[1].id",
                    "config.edges[0].to_node", "config.edges[1].from_node");
            assertThat(notJson.status()).isEqualTo(400);
            assertThat(notJson.json().path("type").asText()).endsWith("/problems/malformed-json");
            assertThat(server.get("/api/v1/flows", ADMIN).json()).isEqualTo(before);
        }
    }

    private static List<String> types(TestServer server) {
        List<String> types = new ArrayList<>();
        server.get("/api/v1/node-types", ADMIN).json().path("node_types").forEach(t -> types.add(t.path("type").asText()));
        return types;
    }
}
