package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import dev.weft.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user types it: {@code weft run}, {@code weft flows import}, {@code weft keys create}. */
class CliTest {

    record Result(int code, String out, String err) {}

    static Result weft(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new Weft()).execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void run_executes_a_flow_file_locally_and_prints_the_result() {
        Result result = weft("run", "../examples/hello.json", "--input", "name=Ada");
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(Json.read(result.out())).isEqualTo(Json.read("{\"greeting\": \"Hello, Ada!\"}"));
    }

    @Test
    void run_executes_the_python_example_in_its_sandbox() {
        Result result = weft("run", "../examples/python.json", "--input", "text=to be or not to be", "--input", "top=2");
        assertThat(result.code()).as(result.err()).isZero();
        assertThat(Json.read(result.out())).isEqualTo(Json.read(
                "{\"words\": 6, \"top\": [\"to\", \"be\"], \"mean_length\": 2.17, \"logs\": [\"6 words\"]}"));
    }

    @Test
    void run_names_a_missing_required_input() {
        Result result = weft("run", "../examples/hello.json");
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("input.name: is required (string)");
    }

    @Test
    void flows_import_and_keys_create_talk_to_a_running_server() {
        try (TestServer server = TestServer.start()) {
            Result imported = weft("flows", "import", "../examples/hello.json", "--publish", "--url", server.base(),
                    "--token", TestServer.ADMIN);
            assertThat(imported.code()).as(imported.err()).isZero();
            assertThat(imported.out()).contains("flow 1 created: Hello").contains("published version 1");

            Result key = weft("keys", "create", "--name", "cli", "--url", server.base(), "--token", TestServer.ADMIN);
            assertThat(key.code()).as(key.err()).isZero();
            String auth = "Basic " + key.out().trim();
            TestServer.Answer run = server.post("/api/v1/scade/flow/1/execute",
                    "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Cli\"}}}}", auth);
            assertThat(run.status()).isEqualTo(200);
        }
    }

    @Test
    void flows_import_reports_validation_problems(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, WITH_EXPRESSION.replace("\"to_node\": \"end\"", "\"to_node\": \"gone\""));
        try (TestServer server = TestServer.start()) {
            Result imported = weft("flows", "import", broken.toString(), "--url", server.base(),
                    "--token", TestServer.ADMIN);
            assertThat(imported.code()).isNotZero();
            assertThat(imported.err()).contains("no node of the export has id 'gone'");
        }
    }

    /** A Scade export whose middle node is of a processor Weft has no node for. */
    static final String WITH_EXPRESSION = """
            {"id": 7, "name": "Expressions", "config": {"nodes": [
              {"id": "start", "data": {"processor": "start", "settings": {"inputs": {"a": {"type": "number"}}}}},
              {"id": "Ex01-expression", "data": {"processor": "expression-editor", "settings": {"expression": "a + 1"}}},
              {"id": "end", "data": {"processor": "end", "settings": {"inputs": {"out": {"type": "number"}}}}}],
             "edges": [
              {"from_node": "start", "to_node": "Ex01-expression", "fields_mapping": [{"from_field": "a", "to_field": "a"}]},
              {"from_node": "Ex01-expression", "to_node": "end", "fields_mapping": [{"from_field": "success", "to_field": "out"}]}]}}""";

    @Test
    void run_of_a_scade_export_with_a_placeholder_fails_naming_it_before_anything_runs(@TempDir Path dir)
            throws IOException {
        Path export = dir.resolve("export.json");
        Files.writeString(export, WITH_EXPRESSION);

        Result result = weft("run", export.toString(), "--input", "a=1");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("the flow has nodes that need replacing before it can run").contains(
                "nodes[1]: node 'Ex01-expression' (Scade processor 'expression-editor') needs replacing before running");
    }
}
