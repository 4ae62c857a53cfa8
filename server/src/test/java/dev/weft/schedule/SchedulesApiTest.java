package dev.weft.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schedules API on a real server: saved, listed, changed and deleted with the next fire times shown; bad input
 * refused naming the field with nothing stored changed; and a tick that runs the flow, its task marked.
 */
class SchedulesApiTest {

    static TestServer server;
    static long flow;
    static String base;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        flow = server.publishFlow(TestServer.example("hello.json"));
        base = "/api/v1/flows/" + flow + "/schedules";
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static TestServer.Answer post(String body) {
        return server.post(base, body, TestServer.ADMIN_AUTH);
    }

    static JsonNode listed() {
        return server.get(base, TestServer.ADMIN_AUTH).json().path("schedules");
    }

    @Test
    void a_schedule_is_saved_with_its_next_fire_times_in_its_zone_then_changed_and_deleted() {
        TestServer.Answer made = post("""
                {"cron": "0 9 * * 1-5", "zone": "Europe/Paris", "inputs": {"name": "Ada"}, "catch_up": "once"}""");
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        JsonNode schedule = made.json();
        long id = schedule.path("id").asLong();
        assertThat(made.header("Location")).isEqualTo(base + "/" + id);
        assertThat(schedule.path("enabled").asBoolean()).isTrue();
        assertThat(schedule.path("catch_up").asText()).isEqualTo("once");
        assertThat(schedule.path("catch_up_limit").asInt()).isEqualTo(SchedulesApi.CATCH_UP_LIMIT_DEFAULT);
        assertThat(schedule.path("last_tick").isNull()).isTrue();
        JsonNode runs = schedule.path("next_runs");
        assertThat(runs).hasSize(SchedulesApi.NEXT_RUNS);
        Instant previous = Instant.now();
        for (JsonNode run : runs) {
            OffsetDateTime at = OffsetDateTime.parse(run.asText());
            assertThat(at.getHour()).as("9:00 local").isEqualTo(9);
            assertThat(at.getOffset().getTotalSeconds()).as("Paris: +01:00 or +02:00").isIn(3600, 7200);
            assertThat(at.getDayOfWeek().getValue()).isBetween(1, 5);
            assertThat(at.toInstant()).isAfter(previous);
            previous = at.toInstant();
        }
        assertThat(schedule.path("next_due").asText()).isEqualTo(runs.get(0).asText());

        TestServer.Answer paused = server.send("PUT", base + "/" + id, """
                {"cron": "0 9 * * 1-5", "zone": "Europe/Paris", "inputs": {"name": "Grace"}, "enabled": false}""",
                "application/json", TestServer.ADMIN_AUTH);
        assertThat(paused.status()).as(paused.text()).isEqualTo(200);
        assertThat(paused.json().path("enabled").asBoolean()).isFalse();
        assertThat(paused.json().path("next_due").isNull()).isTrue();
        assertThat(paused.json().path("inputs").path("name").asText()).isEqualTo("Grace");
        assertThat(server.get("/api/v1/schedules", TestServer.ADMIN_AUTH).json().path("schedules"))
                .anySatisfy(s -> assertThat(s.path("id").asLong()).isEqualTo(id));

        assertThat(server.send("DELETE", base + "/" + id, null, null, TestServer.ADMIN_AUTH).status()).isEqualTo(204);
        assertThat(server.get(base + "/" + id, TestServer.ADMIN_AUTH).status()).isEqualTo(404);
    }

    @Test
    void bad_input_is_refused_naming_the_field_and_nothing_is_stored() {
        int before = listed().size();
        assertRefused(post("{\"cron\": \"61 * * * *\"}"), 400, "cron");
        assertRefused(post("{\"cron\": \"* * * * * *\"}"), 400, "cron");   // every second: under the minimum
        assertRefused(post("{\"cron\": \"0 9 * * *\", \"zone\": \"Mars/Olympus_Mons\"}"), 400, "zone");
        assertRefused(post("{\"cron\": \"0 9 * * *\", \"inputs\": {}}"), 400, "inputs.name");
        assertRefused(post("{\"cron\": \"0 9 * * *\", \"inputs\": {\"name\": \"A\", \"age\": 3}}"), 400, "inputs.age");
        assertRefused(post("{\"cron\": \"0 9 * * *\", \"inputs\": [1]}"), 400, "inputs");
        assertRefused(post("{\"cron\": \"0 9 * * *\", \"inputs\": {\"name\": \"A\"}, \"catch_up\": \"sometimes\"}"),
                400, "catch_up");
        assertRefused(post("{\"cron\": \"0 9 * * *\", \"inputs\": {\"name\": \"A\"}, \"catch_up_limit\": 0}"),
                400, "catch_up_limit");
        assertRefused(post("{\"inputs\": {\"name\": \"A\"}}"), 400, "cron");
        assertThat(listed()).hasSize(before);

        TestServer.Answer draftOnly = server.post("/api/v1/flows", TestServer.example("hello.json"),
                TestServer.ADMIN_AUTH);
        long unpublished = draftOnly.json().path("id").asLong();
        assertRefused(server.post("/api/v1/flows/" + unpublished + "/schedules",
                "{\"cron\": \"0 9 * * *\", \"inputs\": {\"name\": \"A\"}}", TestServer.ADMIN_AUTH), 409, "flow_id");
        assertRefused(server.post("/api/v1/flows/999999/schedules",
                "{\"cron\": \"0 9 * * *\"}", TestServer.ADMIN_AUTH), 404, "flow_id");

        long id = post("{\"cron\": \"0 9 * * *\", \"inputs\": {\"name\": \"Ada\"}}").json().path("id").asLong();
        JsonNode stored = server.get(base + "/" + id, TestServer.ADMIN_AUTH).json();
        assertRefused(server.send("PUT", base + "/" + id, "{\"cron\": \"0 9 * * *\", \"zone\": \"Nowhere/At_All\","
                + " \"inputs\": {\"name\": \"Bob\"}}", "application/json", TestServer.ADMIN_AUTH), 400, "zone");
        JsonNode after = server.get(base + "/" + id, TestServer.ADMIN_AUTH).json();
        assertThat(after.path("inputs")).isEqualTo(stored.path("inputs"));
        assertThat(after.path("updated_at")).isEqualTo(stored.path("updated_at"));
    }

    @Test
    void schedules_are_the_admin_s_only() {
        assertThat(server.get("/api/v1/schedules", null).status()).isEqualTo(401);
        assertThat(server.get(base, null).status()).isEqualTo(401);
        String key = server.newKeyAuth("not-admin");
        assertThat(server.get("/api/v1/schedules", key).status()).isIn(401, 403);
    }

    @Test
    void a_preview_shows_the_fire_times_of_an_expression_or_why_it_is_refused() {
        JsonNode preview = server.get("/api/v1/schedules/preview?cron=*/30+*+*+*+*+*&zone=UTC",
                TestServer.ADMIN_AUTH).json();
        assertThat(preview.path("next_runs")).hasSize(SchedulesApi.NEXT_RUNS);
        assertThat(Duration.between(OffsetDateTime.parse(preview.path("next_runs").get(0).asText()),
                OffsetDateTime.parse(preview.path("next_runs").get(1).asText()))).isEqualTo(Duration.ofSeconds(30));
        assertRefused(server.get("/api/v1/schedules/preview?cron=nope", TestServer.ADMIN_AUTH), 400, "cron");
    }

    @Test
    void a_tick_runs_the_latest_version_with_the_inputs_and_its_task_is_marked() {
        long id = post("{\"cron\": \"*/10 * * * * *\", \"inputs\": {\"name\": \"Tick\"}}").json().path("id").asLong();
        Instant deadline = Instant.now().plusSeconds(30);   // a failure bound: the first tick is due within 10 s
        JsonNode tasks;
        do {
            tasks = server.get("/api/v1/tasks?schedule=" + id, TestServer.ADMIN_AUTH).json().path("tasks");
            assertThat(Instant.now()).as("a task of schedule " + id).isBefore(deadline);
        } while (tasks.isEmpty() && pause());
        JsonNode task = tasks.get(0);
        assertThat(task.path("trigger").path("kind").asText()).isEqualTo("schedule");
        assertThat(task.path("trigger").path("id").asLong()).isEqualTo(id);
        JsonNode done = server.awaitTask(task.path("id").asLong(), TestServer.ADMIN_AUTH, Duration.ofSeconds(20));
        assertThat(done.path("result").path("greeting").asText()).isEqualTo("Hello, Tick!");
        JsonNode schedule = server.get(base + "/" + id, TestServer.ADMIN_AUTH).json();
        assertThat(schedule.path("last_tick").path("task_id").asLong()).isEqualTo(task.path("id").asLong());
        assertThat(OffsetDateTime.parse(schedule.path("last_tick").path("due_at").asText()).getSecond() % 10)
                .isZero();
        assertThat(server.send("DELETE", base + "/" + id, null, null, TestServer.ADMIN_AUTH).status()).isEqualTo(204);
    }

    private static boolean pause() {
        try {
            Thread.sleep(100);   // a poll interval while waiting for the tick, not a measure
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    private static void assertRefused(TestServer.Answer answer, int status, String field) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        JsonNode body = answer.json();
        boolean named = field.equals(body.path("field").asText(null));
        for (JsonNode error : body.path("errors")) named |= field.equals(error.path("field").asText());
        assertThat(named).as("names " + field + ": " + answer.text()).isTrue();
    }
}
