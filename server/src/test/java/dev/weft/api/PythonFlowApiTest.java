package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.server.ClusterConfig;
import dev.weft.store.testing.TestPostgres;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A python flow through the run API, on SQLite and on PostgreSQL: examples/python.json answers; code that never
 * ends, allocates without limit or reaches for the OS fails its task with the python error type, and the same
 * server runs the example again after each.
 */
class PythonFlowApiTest {

    static Stream<Arguments> servers() {
        Supplier<TestServer> sqlite = TestServer::start;
        Supplier<TestServer> postgres = () -> TestServer.startWith(
                c -> c.withCluster(ClusterConfig.defaults().withDbUrl(TestPostgres.newDatabase())));
        return Stream.of(Arguments.of("sqlite", sqlite), Arguments.of("postgresql", postgres));
    }

    private static JsonNode execute(TestServer server, long flow, String text) {
        TestServer.Answer answer = server.post("/api/v1/scade/flow/" + flow + "/execute?wait=20",
                "{\"node_settings\": {\"start\": {\"data\": {\"text\": \"" + text + "\", \"top\": 2}}}}",
                TestServer.ADMIN_AUTH);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.json();
    }

    /** examples/python.json with its code and time limit replaced. */
    private static String withCode(String code, String timeoutMillis) {
        ObjectNode flow = (ObjectNode) Json.read(TestServer.example("python.json"));
        ((ObjectNode) flow.path("nodes").get(1).path("settings")).put("code", code)
                .put("timeout_ms", Integer.parseInt(timeoutMillis));
        return Json.write(flow);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void a_python_flow_runs_and_attacks_fail_their_own_task_only(String name, Supplier<TestServer> start) {
        try (TestServer server = start.get()) {
            long example = server.publishFlow(TestServer.example("python.json"));
            JsonNode done = execute(server, example, "a rose is a rose");
            assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("completed");
            assertThat(done.path("result")).isEqualTo(Json.read(
                    "{\"words\": 5, \"top\": [\"a\", \"rose\"], \"mean_length\": 2.4, \"logs\": [\"5 words\"]}"));

            // The memory bomb gets time to fill its 32 MB: on a busy VM each new page costs tens of µs.
            String[][] attacks = {
                    {"while True:\n    pass", "python_time_limit", "500"},
                    {"a = []\nwhile True:\n    a.append(bytearray(10 ** 6))", "python_memory_limit", "10000"},
                    {"b = [c for c in ().__class__.__base__.__subclasses__() if c.__name__ == 'BuiltinImporter'][0]\n"
                            + "b.load_module('posix').listdir('/')", "python_error", "500"},
            };
            for (String[] attack : attacks) {
                long flow = server.publishFlow(withCode(attack[0], attack[2]));
                JsonNode failed = execute(server, flow, "x");
                assertThat(failed.path("state").asText()).as(failed.toString()).isEqualTo("failed");
                assertThat(failed.path("error").path("type").asText()).as(failed.toString()).isEqualTo(attack[1]);
                assertThat(execute(server, example, "b b").path("result").path("words").asInt()).isEqualTo(2);
            }
        }
    }
}
