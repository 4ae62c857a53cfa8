package dev.weft.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.TestServer;
import dev.weft.builtin.FakeModel;
import dev.weft.json.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tool call deltas reach a task's event stream: a plugin node (as the agent does) reports a tool call's start and
 * end and some text through {@code call.deltas()}; a client watching the task gets them as {@code delta} events
 * with {@code tool_call}, before the step's {@code step.finished}.
 */
class ToolDeltasTest {

    static TestServer server;
    static FakeModel gate;

    @BeforeAll
    static void start() throws Exception {
        Path data = Files.createTempDirectory("weft-tool-deltas");
        // The node first waits on a GET to "gate" (held by the test until the client watches), then reports.
        PluginJars.build(Map.of("tooly/Tooly.java", """
                        package tooly;
                        import dev.weft.node.*;
                        import java.net.URI;
                        import java.net.http.*;
                        public final class Tooly implements NodeType {
                            public String id() { return "tooly"; }
                            public Run run() {
                                return Run.blocking(call -> {
                                    HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(call.settings()
                                            .get("gate").asText())).build(), HttpResponse.BodyHandlers.discarding());
                                    call.deltas().toolStarted("call_1", "lookup", call.inputs());
                                    call.deltas().toolEnded("call_1", "lookup", false, 42);
                                    call.deltas().text("Looked it up.");
                                    return NodeOutput.success(call.inputs());
                                });
                            }
                        }
                        """),
                Map.of("META-INF/services/dev.weft.node.NodeType", "tooly.Tooly\n",
                        "tooly/catalogue/tooly.json", "{\"title\": \"Tooly\", \"settings\": {\"type\": \"object\","
                                + " \"properties\": {\"gate\": {\"type\": \"string\"}}}}"),
                data.resolve(Plugins.FOLDER).resolve("tooly.jar"));
        server = TestServer.start(config -> config.withDataDir(data));
        gate = new FakeModel();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        gate.close();
    }

    @Test
    void a_steps_tool_calls_are_delta_events_with_their_phase_outcome_and_duration() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        gate.enqueue(new FakeModel.Script(200, "text/plain", List.of(new FakeModel.Step.Hold(release))));
        String key = server.newKeyAuth("tooly");
        long flow = server.publishFlow("""
                {"name": "tools", "nodes": [
                  {"id": "start", "type": "start", "settings": {"inputs": {"q": {"type": "string", "required": true}}}},
                  {"id": "agentish", "type": "tooly", "settings": {"gate": "%s"}},
                  {"id": "end", "type": "end", "settings": {"outputs": {"q": {"type": "string"}}}}],
                 "edges": [
                  {"from_node": "start", "to_node": "agentish", "fields_mapping": [{"from_field": "q", "to_field": "q"}]},
                  {"from_node": "agentish", "to_node": "end", "fields_mapping": [{"from_field": "q", "to_field": "q"}]}]}"""
                .formatted(gate.base("/gate")));
        long id = server.post("/api/v1/scade/flow/" + flow + "/execute",
                "{\"node_settings\": {\"start\": {\"data\": {\"q\": \"weft\"}}}}", key).json().path("id").asLong();
        gate.requests.take();   // the step runs and waits at the gate

        HttpResponse<java.io.InputStream> stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.base() + "/api/v1/task/" + id + "/events")).header("Authorization", key).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        List<String> events = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            String name = null;
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("event:")) name = line.substring(6).trim();
                if (line.startsWith("data:")) {
                    events.add(name + " " + line.substring(5).trim());
                    if ("task.started".equals(name)) release.countDown();   // watching: let the step go on
                }
            }
        }

        List<String> deltas = events.stream().filter(e -> e.startsWith("delta ")).map(e -> e.substring(6)).toList();
        assertThat(deltas).hasSize(3);
        assertThat(Json.read(deltas.get(0))).isEqualTo(Json.read("{\"task_id\": " + id + ", \"node_id\": \"agentish\","
                + " \"attempt\": 1, \"tool_call\": {\"id\": \"call_1\", \"name\": \"lookup\", \"phase\": \"started\"}}"));
        assertThat(Json.read(deltas.get(1))).isEqualTo(Json.read("{\"task_id\": " + id + ", \"node_id\": \"agentish\","
                + " \"attempt\": 1, \"tool_call\": {\"id\": \"call_1\", \"name\": \"lookup\", \"phase\": \"ended\","
                + " \"ok\": false, \"duration_ms\": 42}}"));
        assertThat(Json.read(deltas.get(2)).path("text").asText()).isEqualTo("Looked it up.");
        assertThat(indexOf(events, "step.finished", "\"node_id\":\"agentish\""))
                .isGreaterThan(indexOf(events, "delta", "\"text\":\"Looked it up.\""));
        assertThat(events.get(events.size() - 1)).startsWith("task.finished ");
    }

    private static int indexOf(List<String> events, String name, String fragment) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith(name + " ") && events.get(i).contains(fragment)) return i;
        }
        throw new AssertionError("no " + name + " event with " + fragment + " in " + events);
    }
}
