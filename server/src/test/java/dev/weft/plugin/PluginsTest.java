package dev.weft.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import dev.weft.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real server with a data folder whose {@code plugins/} holds the example plugin (built from the repository's
 * examples/node-plugin), a jar whose three providers are each broken in their own way, and a file that is not a
 * jar: the example's node is in the catalogue and runs in a flow; the rest is reported and skipped.
 */
class PluginsTest {

    static final String NOT_A_JAR = "not-a-jar.jar";
    static final String BROKEN = "broken.jar";
    static final String EXAMPLE = "slugify.jar";

    static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        Path data = Files.createTempDirectory("weft-plugins");
        Path plugins = data.resolve(Plugins.FOLDER);
        PluginJars.build(PluginJars.EXAMPLE, plugins.resolve(EXAMPLE));
        PluginJars.build(Map.of(
                "broken/Throwing.java", type("Throwing", "throwing", "public Throwing() { throw new IllegalStateException(\"boom\"); }"),
                "broken/Clash.java", type("Clash", "template", ""),
                "broken/NoCatalogue.java", type("NoCatalogue", "nocatalogue", "")),
                Map.of("META-INF/services/dev.weft.node.NodeType", "broken.Throwing\nbroken.Clash\nbroken.NoCatalogue\n",
                        "broken/catalogue/template.json", "{\"title\": \"Not the template\", \"settings\": {\"type\": \"object\"}}",
                        "broken/catalogue/throwing.json", "{\"settings\": {\"type\": \"object\"}}"),
                plugins.resolve(BROKEN));
        Files.writeString(plugins.resolve(NOT_A_JAR), "this is text, not a zip");
        server = TestServer.start(config -> config.withDataDir(data));
    }

    /** A node type's source in package {@code broken}: pure, emitting nothing, with {@code body} in its class. */
    private static String type(String name, String id, String body) {
        return """
                package broken;
                import dev.weft.node.*;
                public final class %s implements NodeType {
                    %s
                    public String id() { return "%s"; }
                    public Run run() { return Run.pure(call -> NodeOutput.success(call.inputs())); }
                }
                """.formatted(name, body, id);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void the_plugin_node_type_is_in_the_catalogue_like_a_built_in() {
        TestServer.Answer answer = server.get("/api/v1/node-types/slugify", TestServer.ADMIN_AUTH);

        assertThat(answer.status()).isEqualTo(200);
        JsonNode type = answer.json();
        assertThat(type.path("title").asText()).isEqualTo("Slugify");
        assertThat(type.path("category").asText()).isEqualTo("data");
        assertThat(type.path("plugin").asText()).isEqualTo(EXAMPLE);
        assertThat(type.path("ports")).isEqualTo(Json.read("[\"success\"]"));
        assertThat(type.path("outputs")).isEqualTo(Json.read("[\"slug\"]"));
        assertThat(type.path("output_types")).isEqualTo(Json.read("{\"slug\": \"string\"}"));
        assertThat(type.path("settings_schema").path("required")).isEqualTo(Json.read("[\"text\"]"));
        List<String> all = new ArrayList<>();
        server.get("/api/v1/node-types", TestServer.ADMIN_AUTH).json().path("node_types")
                .forEach(t -> all.add(t.path("type").asText()));
        assertThat(all).contains("slugify", "template").doesNotContain("nocatalogue", "throwing");
        assertThat(server.get("/api/v1/node-types/template", TestServer.ADMIN_AUTH).json().path("title").asText())
                .as("the built-in keeps its id").isEqualTo("Template");
    }

    @Test
    void a_flow_using_the_plugin_node_runs_to_its_result() {
        long flow = server.publishFlow(flow("{\"text\": \"{{start.title}}\", \"max_length\": 20}"));
        String key = server.newKeyAuth("plugins");

        TestServer.Answer accepted = server.post("/api/v1/scade/flow/" + flow + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": {\"title\": \"Crème brûlée à la Weft, again!\"}}}}", key);

        assertThat(accepted.status()).isEqualTo(200);
        JsonNode task = server.awaitTask(accepted.json().path("id").asLong(), key, Duration.ofSeconds(10));
        assertThat(task.path("state").asText()).isEqualTo("completed");
        // 20 characters at most, cut at a word boundary: "-weft" would make 22.
        assertThat(task.path("result")).isEqualTo(Json.read("{\"slug\": \"creme-brulee-a-la\"}"));
    }

    @Test
    void a_plugin_gets_its_rendered_settings_checked_against_its_schema_and_text_where_the_schema_wants_text() {
        String settings = "{\"text\": \"{{start.words}}\", \"separator\": \"{{start.sep}}\","
                + " \"max_length\": \"{{start.max}}\"}";
        long flow = server.publishFlow(flow("{\"words\": {\"type\": \"object\"}, \"sep\": {\"type\": \"string\"},"
                + " \"max\": {\"type\": \"integer\"}}", "sep", settings));
        String key = server.newKeyAuth("rendered");

        // an object where the schema wants text arrives as its JSON text, as inside a longer text
        JsonNode made = run(flow, key, "{\"words\": {\"Crème\": \"brûlée\"}, \"sep\": \"_\", \"max\": 30}");
        assertThat(made.path("state").asText()).isEqualTo("completed");
        assertThat(made.path("result")).isEqualTo(Json.read("{\"slug\": \"creme_brulee\"}"));

        // what the schema refuses never reaches the node: the step fails naming each setting
        JsonNode refused = run(flow, key, "{\"words\": {\"a\": 1}, \"sep\": \"/\", \"max\": 0}");
        assertThat(refused.path("state").asText()).isEqualTo("failed");
        assertThat(refused.path("error").path("type").asText()).isEqualTo("settings");
        assertThat(refused.path("error").path("node_id").asText()).isEqualTo("slug");
        assertThat(refused.path("error").path("message").asText())
                .contains("settings.separator: must be one of", "settings.max_length: must be at least 1 (got 0)");
    }

    private static JsonNode run(long flow, String key, String data) {
        TestServer.Answer accepted = server.post("/api/v1/scade/flow/" + flow + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": " + data + "}}}", key);
        assertThat(accepted.status()).isEqualTo(200);
        return server.awaitTask(accepted.json().path("id").asLong(), key, Duration.ofSeconds(10));
    }

    @Test
    void the_registry_checks_plugin_settings_against_the_plugin_schema() {
        TestServer.Answer answer = server.post("/api/v1/flows", flow("{\"text\": \"x\", \"max_length\": 0}"),
                TestServer.ADMIN_AUTH);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.text()).contains("nodes[1].settings.max_length").contains("must be at least 1");
    }

    @Test
    void broken_jars_are_reported_and_skipped_and_only_the_admin_reads_the_report() {
        TestServer.Answer answer = server.get("/api/v1/plugins", TestServer.ADMIN_AUTH);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("plugins")).isEqualTo(Json.read(
                "[{\"jar\": \"" + EXAMPLE + "\", \"node_types\": [\"slugify\"]}]"));
        List<String> failures = new ArrayList<>();
        answer.json().path("failures").forEach(f -> failures.add(f.path("jar").asText() + " "
                + f.path("node_type").asText("-") + " " + f.path("error").asText()));
        assertThat(failures).hasSize(4);
        assertThat(failures).anySatisfy(f -> assertThat(f).startsWith(BROKEN + " - a node type provider failed")
                .contains("boom"));
        assertThat(failures).anySatisfy(f -> assertThat(f).startsWith(BROKEN + " broken.NoCatalogue unusable node type")
                .contains("no catalogue entry catalogue/nocatalogue.json"));
        assertThat(failures).anySatisfy(f -> assertThat(f)
                .isEqualTo(BROKEN + " template node type id 'template' is taken by a built-in node type"));
        assertThat(failures).anySatisfy(f -> assertThat(f).startsWith(NOT_A_JAR + " - not a jar (zip) file"));
        assertThat(server.get("/api/v1/plugins", null).status()).isEqualTo(401);
        assertThat(server.get("/api/v1/plugins", server.newKeyAuth("not-admin")).status()).isEqualTo(401);
    }

    /** start(title) -> slug(slugify with these settings) -> end(slug). */
    private static String flow(String slugSettings) {
        return flow("{\"title\": {\"type\": \"string\", \"required\": true}}", "title", slugSettings);
    }

    /** start({@code inputs}) -> slug({@code slugSettings}, mapped {@code field}) -> end(slug). */
    private static String flow(String inputs, String field, String slugSettings) {
        return """
                {"name": "Slugs", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": %s}},
                  {"id": "slug", "type": "slugify", "settings": %s},
                  {"id": "end", "type": "end", "settings": {"outputs": {"slug": {"type": "string"}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "slug", "fields_mapping": [{"from_field": "%s", "to_field": "%s"}]},
                  {"from_node": "slug", "to_node": "end", "fields_mapping": [{"from_field": "slug", "to_field": "slug"}]}]}
                """.formatted(inputs, slugSettings, field, field);
    }
}
