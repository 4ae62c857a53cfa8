package dev.weft.form;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The curl example of docs/api.md's "Hosted forms", run as written by bash (curl, jq) against a fresh server. */
class FormsDocsTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static TestServer server;
    @TempDir
    static Path folder;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void the_documented_example_prints_what_the_docs_say() throws Exception {
        String doc = Files.readString(ROOT.resolve("docs/api.md"));
        int section = doc.indexOf("\n## Hosted forms\n");
        assertThat(section).as("docs/api.md has a section 'Hosted forms'").isPositive();
        int from = doc.indexOf("```bash\n", section) + "```bash\n".length();
        String script = doc.substring(from, doc.indexOf("```", from))
                .replace("localhost:8080", "127.0.0.1:" + server.port())
                .replace("/tmp/form-cookies", folder.resolve("cookies").toString());
        Process bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", "export WEFT_ADMIN_TOKEN="
                + TestServer.ADMIN + "\n" + script).directory(ROOT.toFile()).redirectErrorStream(true).start();
        bash.getOutputStream().close();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(out).isZero();

        // each line the example prints is the line its comment says
        assertThat(out).isEqualTo("""
                {"title":"Say hello","password_set":true,"enabled":true}
                204
                [{"field":"name","message":"is required (string)"}]
                {"state":"completed","result":{"greeting":"Hello, Ada!"}}
                """);
    }
}
