package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import dev.weft.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
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
    void flows_import_reports_validation_problems() {
        try (TestServer server = TestServer.start()) {
            Result imported = weft("flows", "import", "src/test/resources/scade-export.json", "--url", server.base(),
                    "--token", TestServer.ADMIN);
            assertThat(imported.code()).isNotZero();
            assertThat(imported.err()).contains("Scade node type 'mlscade/fooocus'");
        }
    }
}
