package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.server.ClusterConfig;
import dev.weft.store.testing.TestPostgres;
import org.junit.jupiter.api.Test;

/**
 * Two processes on one PostgreSQL: an execute on one runs the version just published (or refuses the flow just
 * deleted) through the other, although it keeps the latest version it read instead of reading it per execute.
 */
class LatestVersionAcrossProcessesTest {

    private static final String RUN = "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Ada\"}}}}";

    @Test
    void an_execute_runs_the_version_another_process_just_published_and_not_a_deleted_flow() {
        String url = TestPostgres.newDatabase();
        try (TestServer a = TestServer.startWith(c -> c.withCluster(ClusterConfig.defaults().withDbUrl(url)));
             TestServer b = TestServer.startWith(c -> c.withCluster(ClusterConfig.defaults().withDbUrl(url)))) {
            long flow = a.publishFlow(TestServer.example("hello.json"));
            for (int i = 0; i < 3; i++) assertThat(greeting(b, flow)).isEqualTo("Hello, Ada!");   // b keeps version 1

            ObjectNode changed = (ObjectNode) Json.read(TestServer.example("hello.json"));
            ((ObjectNode) changed.path("nodes").get(1).path("settings")).put("template", "Hi, {{start.name}}.");
            assertThat(a.send("PUT", "/api/v1/flows/" + flow, Json.write(changed), "application/json",
                    TestServer.ADMIN_AUTH).status()).isEqualTo(200);
            assertThat(a.post("/api/v1/flows/" + flow + "/publish", null, TestServer.ADMIN_AUTH).json()
                    .path("version").asInt()).isEqualTo(2);

            JsonNode task = execute(b, flow);
            assertThat(task.path("result").path("greeting").asText()).isEqualTo("Hi, Ada.");
            assertThat(b.get("/api/v1/task/" + task.path("id").asLong(), TestServer.ADMIN_AUTH).json()
                    .path("flow_version").asInt()).isEqualTo(2);

            assertThat(a.send("DELETE", "/api/v1/flows/" + flow, null, null, TestServer.ADMIN_AUTH).status())
                    .isEqualTo(204);
            TestServer.Answer refused = b.post("/api/v1/scade/flow/" + flow + "/execute?wait=10", RUN,
                    TestServer.ADMIN_AUTH);
            assertThat(refused.status()).as(refused.text()).isEqualTo(404);
            assertThat(refused.json().path("errors").path(0).path("field").asText()).as(refused.text()).isEqualTo("flow_id");
        }
    }

    private static String greeting(TestServer server, long flow) {
        return execute(server, flow).path("result").path("greeting").asText();
    }

    private static JsonNode execute(TestServer server, long flow) {
        TestServer.Answer answer = server.post("/api/v1/scade/flow/" + flow + "/execute?wait=10", RUN,
                TestServer.ADMIN_AUTH);
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().path("state").asText()).as(answer.text()).isEqualTo("completed");
        return answer.json();
    }
}
