package dev.weft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GET /api/v1/tasks, the task list the UI's tasks and flows pages read. */
class TasksApiTest {

    static TestServer server;
    static long hello;
    static long other;
    static final List<Long> helloTasks = new ArrayList<>();
    static long otherTask;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        hello = server.publishFlow(TestServer.example("hello.json"));
        other = server.publishFlow(TestServer.example("hello.json"));
        for (String name : List.of("Ada", "Grace", "Edsger")) helloTasks.add(run(hello, name));
        otherTask = run(other, "Barbara");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static long run(long flow, String name) {
        String body = "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"" + name + "\"}}}}";
        long id = server.post("/api/v1/scade/flow/" + flow + "/execute", body, TestServer.ADMIN_AUTH).json().path("id").asLong();
        server.awaitTask(id, TestServer.ADMIN_AUTH, Duration.ofSeconds(10));
        return id;
    }

    static List<Long> ids(JsonNode answer) {
        List<Long> ids = new ArrayList<>();
        answer.path("tasks").forEach(t -> ids.add(t.path("id").asLong()));
        return ids;
    }

    @Test
    void lists_the_newest_tasks_first_filtered_by_flow_and_state_and_paged() {
        assertThat(ids(server.get("/api/v1/tasks", TestServer.ADMIN_AUTH).json()))
                .containsExactly(otherTask, helloTasks.get(2), helloTasks.get(1), helloTasks.get(0));
        assertThat(ids(server.get("/api/v1/tasks?flow_id=" + hello + "&limit=2", TestServer.ADMIN_AUTH).json()))
                .containsExactly(helloTasks.get(2), helloTasks.get(1));
        assertThat(ids(server.get("/api/v1/tasks?flow_id=" + hello + "&before=" + helloTasks.get(1), TestServer.ADMIN_AUTH).json()))
                .containsExactly(helloTasks.get(0));
        assertThat(ids(server.get("/api/v1/tasks?state=completed&flow_id=" + other, TestServer.ADMIN_AUTH).json()))
                .containsExactly(otherTask);
        assertThat(ids(server.get("/api/v1/tasks?state=4", TestServer.ADMIN_AUTH).json())).isEmpty();

        JsonNode task = server.get("/api/v1/tasks?limit=1", TestServer.ADMIN_AUTH).json().path("tasks").get(0);
        assertThat(task.path("status").asInt()).isEqualTo(3);
        assertThat(task.path("result").path("greeting").asText()).isEqualTo("Hello, Barbara!");
    }

    @Test
    void latest_per_flow_gives_each_flows_last_run() {
        assertThat(ids(server.get("/api/v1/tasks?latest_per_flow=true", TestServer.ADMIN_AUTH).json()))
                .containsExactly(otherTask, helloTasks.get(2));
    }

    @Test
    void refuses_bad_filters_by_name_and_callers_without_the_admin_token() {
        TestServer.Answer badState = server.get("/api/v1/tasks?state=done", TestServer.ADMIN_AUTH);
        assertThat(badState.status()).isEqualTo(400);
        assertThat(badState.json().path("errors").get(0).path("field").asText()).isEqualTo("state");
        TestServer.Answer badLimit = server.get("/api/v1/tasks?limit=0", TestServer.ADMIN_AUTH);
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.json().path("errors").get(0).path("message").asText()).isEqualTo("must be a whole number from 1 to 500 (got '0')");
        assertThat(server.get("/api/v1/tasks", null).status()).isEqualTo(401);
        String key = server.newKeyAuth("app");
        assertThat(server.get("/api/v1/tasks", key).status()).isEqualTo(401);
    }
}
