package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code flow_version} pins a published version; the task records the version it ran. */
class VersionsTest {

    static TestServer server;
    static String key;
    static long flow;

    static String greeting(String template) {
        return TestServer.example("hello.json").replace("Hello, {{start.name}}!", template);
    }

    @BeforeAll
    static void start() {
        server = TestServer.start();
        key = server.newKeyAuth("versions");
        flow = server.publishFlow(greeting("v1: {{start.name}}"));
        assertThat(server.send("PUT", "/api/v1/flows/" + flow, greeting("v2: {{start.name}}"), "application/json",
                TestServer.ADMIN_AUTH).status()).isEqualTo(200);
        assertThat(server.post("/api/v1/flows/" + flow + "/publish", null, TestServer.ADMIN_AUTH).status())
                .isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestServer.Answer execute(String extra) {
        return server.post("/api/v1/scade/flow/" + flow + "/execute?wait=10",
                "{" + extra + "\"node_settings\": {\"start\": {\"data\": {\"name\": \"Ada\"}}}}", key);
    }

    @Test
    void without_a_pin_the_latest_version_runs_and_is_recorded() {
        JsonNode task = execute("").json();
        assertThat(task.path("flow_version").asInt()).isEqualTo(2);
        assertThat(task.path("result").path("greeting").asText()).isEqualTo("v2: Ada");
    }

    @Test
    void a_pinned_version_runs_and_the_task_records_it() {
        JsonNode task = execute("\"flow_version\": 1, ").json();
        assertThat(task.path("flow_version").asInt()).isEqualTo(1);
        assertThat(task.path("result").path("greeting").asText()).isEqualTo("v1: Ada");
        JsonNode polled = server.awaitTask(task.path("id").asLong(), key, Duration.ofSeconds(5));
        assertThat(polled.path("flow_version").asInt()).isEqualTo(1);
    }

    @Test
    void a_version_that_does_not_exist_is_refused_naming_the_field() {
        TestServer.Answer missing = execute("\"flow_version\": 3, ");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("errors").get(0).path("field").asText()).isEqualTo("flow_version");
        assertThat(missing.json().path("detail").asText()).contains("no version 3");

        for (String bad : new String[] {"0", "-1", "\"2\"", "1.5"}) {
            TestServer.Answer answer = execute("\"flow_version\": " + bad + ", ");
            assertThat(answer.status()).as(bad).isEqualTo(400);
            assertThat(answer.json().path("errors").get(0).path("field").asText()).isEqualTo("flow_version");
        }
    }

    @Test
    void a_new_draft_does_not_change_what_a_pinned_or_latest_run_uses() {
        assertThat(server.send("PUT", "/api/v1/flows/" + flow, greeting("draft: {{start.name}}"), "application/json",
                TestServer.ADMIN_AUTH).status()).isEqualTo(200);
        assertThat(execute("").json().path("result").path("greeting").asText()).isEqualTo("v2: Ada");
        assertThat(execute("\"flow_version\": 1, ").json().path("result").path("greeting").asText())
                .isEqualTo("v1: Ada");
    }
}
