package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The curl examples of docs/api.md's "Version history: diff and restore" and "Credential types, rotation and
 * deletion" sections, run as written by bash (with curl and jq) against a fresh server, print what the docs say.
 */
class VersionsCredentialsDocsTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The first ```bash block of the section headed {@code heading}. */
    static String example(String heading) throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/api.md"));
        int section = doc.indexOf("\n## " + heading + "\n");
        assertThat(section).as("docs/api.md has a section '" + heading + "'").isPositive();
        int start = doc.indexOf("```bash\n", section) + "```bash\n".length();
        return doc.substring(start, doc.indexOf("```", start));
    }

    static String run(String script) throws Exception {
        Process bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c",
                script.replace("localhost:8080", "127.0.0.1:" + server.port()))
                .directory(ROOT.toFile()).redirectErrorStream(true).start();
        bash.getOutputStream().close();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void the_documented_examples_print_what_the_docs_say() throws Exception {
        String versions = example("Version history: diff and restore (admin token)");
        String credentials = example("Credential types, rotation and deletion (admin token)");
        String env = "export WEFT_ADMIN_TOKEN=" + TestServer.ADMIN + "\n";

        String out = run(env + versions + credentials);

        assertThat(out).contains("\"settings\":[{\"path\":\"template\",\"change\":\"changed\","
                + "\"before\":\"Hello, {{start.name}}!\",\"after\":\"Hi, {{start.name}}!\"}]");
        assertThat(out).contains("{\"flow_version\":1,\"result\":{\"greeting\":\"Hello, Ada!\"}}\n");
        assertThat(out).contains("{\"restored_version\":1,\"latest_version\":2}\ntrue\n");
        assertThat(out).contains("[{\"field\":\"against\",\"message\":\"must be 'draft' or a version number such as 1"
                + " (got 'latest')\"}]\n");
        assertThat(out).contains("\"type\":\"basic\",\"description\":null,\"hosts\":[\"mirror.example.com\"]");
        assertThat(out).contains("\"used_by\":[],\"mcp_servers\":[],\"webhooks\":[]}headers\n");
        assertThat(out).contains("{\"type\":\"basic\",\"used_by\":[{\"flow_id\":2,\"flow_name\":\"Mirror\","
                + "\"versions\":[1],\"draft\":true}]}\n");
        assertThat(out).contains("credential 'mirror-login' is used by published versions of flow 2 'Mirror' (version 1);"
                + " a run may still use any of them, so delete those flows first (or rotate the credential to change"
                + " its secret)");
        assertThat(out).doesNotContain("pa55").doesNotContain("k-123");
    }
}
