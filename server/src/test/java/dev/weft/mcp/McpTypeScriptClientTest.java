package dev.weft.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import dev.weft.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /mcp} used by a real MCP client that no one here wrote: the official TypeScript SDK
 * ({@code @modelcontextprotocol/sdk} from the npm registry, pinned by src/test/mcp-client/package-lock.json), run
 * by {@code node} with a small script. Its client checks a tool's {@code structuredContent} against the tool's
 * {@code outputSchema}, so a call that succeeds here proves the schema Weft offers fits the answers it gives. The
 * packages are installed once per lock file (as the UI's are) and kept in the folder's node_modules.
 */
class McpTypeScriptClientTest {

    static final Path CLIENT = Path.of("src", "test", "mcp-client");
    static TestServer server;
    static String key;
    static String scoped;

    @BeforeAll
    static void start() throws Exception {
        install();
        server = TestServer.start();
        long greet = server.publishFlow(McpFlows.hello(true, "greet", "Greets someone by name"));
        server.publishFlow(McpFlows.hello(true, "greet_other", null));
        server.publishFlow(McpFlows.hello(null, null, null));
        server.publishFlow(McpFlows.failing());
        key = server.newKeyAuth("ts").substring("Basic ".length());
        scoped = server.post("/api/v1/keys", "{\"name\": \"one\", \"flow_ids\": [" + greet + "]}",
                TestServer.ADMIN_AUTH).json().path("key").asText();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** {@code npm ci} when the lock file changed since the last install (prefers npm's cache: fast, and offline once cached). */
    static void install() throws Exception {
        byte[] lock = Files.readAllBytes(CLIENT.resolve("package-lock.json"));
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(lock));
        Path stamp = CLIENT.resolve("node_modules").resolve(".weft-lock-sha256");
        if (Files.exists(stamp) && Files.readString(stamp).equals(hash)) return;
        // never inheritIO: the test JVM's standard streams are surefire's channel to Maven, and npm's output there
        // breaks it ("std/in stream corrupted" on a fresh checkout, where npm ci runs)
        Process npm = new ProcessBuilder("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(CLIENT.toFile()).redirectErrorStream(true).start();
        npm.getOutputStream().close();
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(npm.waitFor(5, TimeUnit.MINUTES)).as("npm ci finished").isTrue();
        assertThat(npm.exitValue()).as("npm ci exit code; it printed: " + output).isZero();
        Files.writeString(stamp, hash);
    }

    /** Runs the client script and returns what it printed (one JSON object). */
    static JsonNode run(String authorization, String... calls) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "client.mjs", server.base() + "/mcp", authorization));
        command.addAll(List.of(calls));
        Process node = new ProcessBuilder(command).directory(CLIENT.toFile()).redirectErrorStream(false).start();
        byte[] out = node.getInputStream().readAllBytes();
        String err = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("the client finished").isTrue();
        assertThat(node.exitValue()).as("client exit code; stderr: " + err).isZero();
        return Json.read(new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void the_typescript_sdk_lists_the_exposed_flows_and_calls_them() throws Exception {
        JsonNode seen = run("Bearer " + key, "greet", "{\"name\": \"Ada\"}", "explode", "{\"name\": \"Bo\"}");
        assertThat(seen.path("server").path("name").asText()).isEqualTo("weft");
        List<String> names = new ArrayList<>();
        seen.path("tools").forEach(t -> names.add(t.path("name").asText()));
        assertThat(names).containsExactly("greet", "greet_other", "explode");
        assertThat(seen.path("tools").get(0).path("inputSchema").path("properties").path("name").path("description")
                .asText()).isEqualTo("Who to greet");

        JsonNode greeted = seen.path("calls").get(0);
        assertThat(greeted.has("error")).as(greeted.toString()).isFalse();
        assertThat(greeted.path("structuredContent").path("greeting").asText()).isEqualTo("Hello, Ada!");
        assertThat(greeted.path("content").get(0).path("text").asText()).isEqualTo("{\"greeting\":\"Hello, Ada!\"}");
        long task = greeted.path("_meta").path(FlowToolCalls.TASK_ID_META).asLong();
        assertThat(server.get("/api/v1/task/" + task, "Basic " + key).json().path("status").asInt()).isEqualTo(3);

        JsonNode exploded = seen.path("calls").get(1);
        assertThat(exploded.path("isError").asBoolean()).as(exploded.toString()).isTrue();
        assertThat(exploded.path("content").get(0).path("text").asText()).contains("boom: Bo");
    }

    @Test
    void the_typescript_sdk_with_a_scoped_key_sees_one_tool_and_is_refused_another() throws Exception {
        JsonNode seen = run("Bearer " + scoped, "greet_other", "{\"name\": \"Ada\"}");
        assertThat(seen.path("tools")).hasSize(1);
        assertThat(seen.path("tools").get(0).path("name").asText()).isEqualTo("greet");
        JsonNode refused = seen.path("calls").get(0);
        assertThat(refused.path("code").asInt()).as(refused.toString()).isEqualTo(-32602);
        assertThat(refused.path("error").asText()).contains("greet_other");
    }

    @Test
    void the_typescript_sdk_with_a_wrong_key_cannot_connect() throws Exception {
        JsonNode seen = run("Bearer wrong-key");
        assertThat(seen.path("connect_error").asText()).contains("401");
    }
}
