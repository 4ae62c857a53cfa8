package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The templates gallery's API on a real server: list, read, a new draft flow from a template, and refusals. */
class TemplatesApiTest {

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

    private static JsonNode template(JsonNode list, String id) {
        for (JsonNode t : list.path("templates")) if (t.path("id").asText().equals(id)) return t;
        throw new AssertionError("no template " + id + " in " + list);
    }

    private static List<String> flowNames() {
        List<String> names = new ArrayList<>();
        server.get("/api/v1/flows", ADMIN).json().path("flows").forEach(f -> names.add(f.path("name").asText()));
        return names;
    }

    @Test
    void the_list_names_each_template_with_its_tags_and_what_it_needs_without_documents() {
        TestServer.Answer answer = server.get("/api/v1/templates", ADMIN);

        assertThat(answer.status()).isEqualTo(200);
        JsonNode list = answer.json();
        assertThat(list.path("templates").size()).isGreaterThanOrEqualTo(8);
        assertThat(template(list, "hello")).isEqualTo(Json.read("""
                {"id": "hello", "name": "Hello", "description": "The smallest flow: a start input, a text template\
                 and an end output. Runs as it is.", "tags": ["starter", "template"], "format": "weft",
                 "node_types": ["start", "template", "end"],
                 "needs": {"credentials": [], "knowledge_bases": [], "flows": []}}"""));
        JsonNode rag = template(list, "rag");
        assertThat(rag.path("needs").path("credentials").findValuesAsText("name")).containsExactly("openai");
        assertThat(rag.path("needs").path("knowledge_bases").findValuesAsText("name")).containsExactly("handbook");
        assertThat(template(list, "agent-tools").path("needs").path("flows").findValuesAsText("template"))
                .containsExactly("hello");
        assertThat(template(list, "scade-import").path("format").asText()).isEqualTo("scade");
        assertThat(template(list, "scade-import").path("node_types")).extracting(JsonNode::asText)
                .containsExactly("start", "end", "mlscade/fooocus", "if-condition-stop-execution");
        list.path("templates").forEach(t -> assertThat(t.has("document")).as(t.path("id").asText()).isFalse());
    }

    @Test
    void one_template_is_read_with_its_document() {
        TestServer.Answer answer = server.get("/api/v1/templates/map-list", ADMIN);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("name").asText()).isEqualTo("Map over a list");
        assertThat(answer.json().path("document").path("nodes").get(1).path("type").asText()).isEqualTo("map");
    }

    @Test
    void a_flow_made_from_a_template_is_a_new_draft_named_as_asked_or_as_the_template() {
        TestServer.Answer named = server.post("/api/v1/flows", "{\"template\": \"hello\", \"name\": \"Greeter\"}", ADMIN);
        TestServer.Answer unnamed = server.post("/api/v1/flows", "{\"template\": \"route-ticket\"}", ADMIN);

        assertThat(named.status()).as(named.text()).isEqualTo(201);
        assertThat(named.header("Location")).isEqualTo("/api/v1/flows/" + named.json().path("id").asLong());
        assertThat(named.json().path("name").asText()).isEqualTo("Greeter");
        assertThat(named.json().path("latest_version").isNull()).as("a draft, not published").isTrue();
        JsonNode stored = server.get("/api/v1/flows/" + named.json().path("id").asLong(), ADMIN).json();
        JsonNode template = server.get("/api/v1/templates/hello", ADMIN).json().path("document");
        assertThat(stored.path("document").path("nodes")).isEqualTo(template.path("nodes"));
        assertThat(stored.path("document").path("edges")).isEqualTo(template.path("edges"));
        assertThat(unnamed.json().path("name").asText()).isEqualTo("Route a ticket");
    }

    @Test
    void the_scade_sample_is_imported_as_an_export_is_with_its_report() {
        TestServer.Answer answer = server.post("/api/v1/flows", "{\"template\": \"scade-import\"}", ADMIN);

        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        assertThat(answer.json().path("name").asText()).isEqualTo("Scade import sample");
        assertThat(answer.json().path("document").path("nodes")).hasSize(8);
        assertThat(answer.json().path("import").path("needs_attention").findValuesAsText("node_id"))
                .containsExactly("tqAT-vetkastar-fooocus", "mbdQ-vetkastar-fooocus", "UYiG-vetkastar-fooocus");
    }

    @Test
    void the_agent_template_makes_and_publishes_the_flow_its_tool_calls() {
        TestServer.Answer answer = server.post("/api/v1/flows", "{\"template\": \"agent-tools\", \"name\": \"Concierge\"}",
                ADMIN);

        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        long tool = answer.json().path("document").path("nodes").get(1).path("settings").path("tools").get(0)
                .path("flow_id").asLong();
        JsonNode hello = server.get("/api/v1/flows/" + tool, ADMIN).json();
        assertThat(hello.path("name").asText()).isEqualTo("Hello (for Concierge)");
        assertThat(hello.path("latest_version").asInt()).isEqualTo(1);
    }

    @Test
    void an_unknown_template_is_a_404_naming_it_and_nothing_is_stored() {
        List<String> before = flowNames();

        TestServer.Answer made = server.post("/api/v1/flows", "{\"template\": \"nope\", \"name\": \"x\"}", ADMIN);
        TestServer.Answer read = server.get("/api/v1/templates/nope", ADMIN);

        assertThat(made.status()).isEqualTo(404);
        assertThat(made.contentType()).startsWith("application/problem+json");
        assertThat(made.json().path("detail").asText()).startsWith("template 'nope' does not exist (templates: hello, ");
        assertThat(made.json().path("errors").path(0).path("field").asText()).isEqualTo("template");
        assertThat(read.status()).isEqualTo(404);
        assertThat(read.json().path("errors").path(0).path("field").asText()).isEqualTo("template_id");
        assertThat(flowNames()).isEqualTo(before);
    }

    @Test
    void a_template_field_that_is_not_an_id_or_a_name_that_is_not_text_is_a_400_naming_the_field() {
        List<String> before = flowNames();

        TestServer.Answer number = server.post("/api/v1/flows", "{\"template\": 3}", ADMIN);
        TestServer.Answer badName = server.post("/api/v1/flows", "{\"template\": \"agent-tools\", \"name\": [1]}", ADMIN);

        assertThat(number.status()).isEqualTo(400);
        assertThat(number.json().path("errors").path(0).path("field").asText()).isEqualTo("template");
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.json().path("errors").path(0).path("field").asText()).isEqualTo("name");
        assertThat(flowNames()).as("not even the agent's tool flow").isEqualTo(before);
    }

    @Test
    void the_curl_example_of_docs_api_md_makes_publishes_and_runs_a_flow_from_a_template() throws Exception {
        String api = Files.readString(Path.of("..", "docs", "api.md"));
        String section = api.substring(api.indexOf("\n## Templates\n"));
        String script = section.substring(section.indexOf("```bash\n") + 8, section.indexOf("\n```", section.indexOf("```bash")))
                .replace("http://127.0.0.1:8080", server.base());
        Path folder = Files.createTempDirectory("weft-doc");
        Files.createDirectories(folder.resolve("data"));
        Files.writeString(folder.resolve("data/admin-token"), TestServer.ADMIN);
        Files.writeString(folder.resolve("example.sh"), script);

        Process bash = new ProcessBuilder("bash", "example.sh").directory(folder.toFile())
                .redirectErrorStream(true).start();
        String printed = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(printed).isZero();
        assertThat(printed).contains("\"templates\":[{\"id\":\"hello\"")
                .contains("\"status\":3,\"state\":\"completed\",\"result\":{\"greeting\":\"Hello, Ada!\"}");
        assertThat(flowNames()).contains("My greeter");
    }

    @Test
    void templates_need_the_admin() {
        assertThat(server.get("/api/v1/templates", null).status()).isEqualTo(401);
        assertThat(server.get("/api/v1/templates/hello", server.newKeyAuth("caller")).status()).isEqualTo(401);
    }
}
