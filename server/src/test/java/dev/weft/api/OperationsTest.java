package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /ready} and Prometheus {@code /metrics}. */
class OperationsTest {

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void ready_answers_when_the_database_does() {
        TestServer.Answer ready = server.get("/ready", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("status").asText()).isEqualTo("ready");
        assertThat(ready.json().path("database").asText()).isEqualTo("sqlite");
    }

    @Test
    void metrics_count_tasks_by_status_and_time_steps_by_node_type() {
        String key = server.newKeyAuth("metrics");
        long hello = server.publishFlow(TestServer.example("hello.json"));
        TestServer.Answer done = server.post("/api/v1/scade/flow/" + hello + "/execute?wait=10",
                "{\"node_settings\": {\"start\": {\"data\": {\"name\": \"Ada\"}}}}", key);
        assertThat(done.json().path("status").asInt()).isEqualTo(3);

        TestServer.Answer metrics = server.get("/metrics", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain");
        String text = metrics.text();
        assertThat(text).contains("weft_tasks_accepted_total ")
                .contains("weft_tasks_finished_total{status=\"completed\"}")
                .contains("weft_step_duration_seconds_bucket{node_type=\"template\"")
                .contains("weft_queue_depth ")
                .contains("weft_worker_utilization ")
                .contains("weft_worker_slots ")
                .contains("weft_event_streams ")
                .contains("jvm_memory_used_bytes");
        assertThat(value(text, "weft_tasks_accepted_total")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "weft_tasks_finished_total{status=\"completed\"}")).isGreaterThanOrEqualTo(1);
        server.awaitTask(done.json().path("id").asLong(), key, Duration.ofSeconds(1));
    }

    private static double value(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) return Double.parseDouble(line.substring(series.length() + 1).trim());
        }
        throw new AssertionError("no series " + series);
    }
}
