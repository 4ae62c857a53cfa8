package dev.weft.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.e2e.Upstream;
import dev.weft.json.Json;
import dev.weft.store.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A request waiting ({@code ?wait}) in an api process for a task that a worker process runs is answered by the
 * worker's notification that the task finished. The api process checks the database for the tasks waited on only
 * once an hour here ({@code WEFT_WAIT_CHECK_EVERY=1h}) and the wait may last 60 s: a finished answer within 20 s
 * can only come from the notification.
 */
class ClusterWaitTest {

    @Test
    void a_wait_in_the_api_process_is_answered_when_the_worker_process_finishes_the_task() throws Exception {
        String url = TestPostgres.newDatabase();
        ClusterClient client = new ClusterClient(url);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        HttpClient http = HttpClient.newHttpClient();
        try (Upstream upstream = new Upstream(20, 50)) {
            upstream.holdCallsTo("/hold");
            Future<ClusterProcess> startingApi = pool.submit(() -> ClusterProcess.start("api", url, "api",
                    Map.of("WEFT_WAIT_CHECK_EVERY", "1h")));
            Future<ClusterProcess> startingWorker = pool.submit(() ->
                    ClusterProcess.start("worker", url, "worker", Map.of()));
            try (ClusterProcess api = startingApi.get(); ClusterProcess worker = startingWorker.get()) {
                long flowId = client.publish(api.base(), ClusterClient.flow("/hold"));
                String key = client.key(api.base());
                long id = client.execute(api.base(), flowId, key, 42, upstream.base());
                upstream.awaitCalls("/hold", 1, Duration.ofSeconds(30));

                CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(HttpRequest.newBuilder(
                        URI.create(api.base() + "/api/v1/task/" + id + "?wait=60")).header("Authorization", key)
                        .timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
                awaitGauge(http, api, "weft_tasks_waited_on", 1);
                assertThat(waiting).as("still running: the wait holds").isNotDone();

                upstream.release();

                HttpResponse<String> answer = waiting.get(20, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).isEqualTo(200);
                JsonNode task = Json.read(answer.body());
                assertThat(task.path("status").asInt()).as(answer.body()).isEqualTo(3);
                assertThat(task.path("result").path("n").asText()).isEqualTo("42");
                assertThat(gauge(http, api, "weft_tasks_waited_on")).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Polls another process's metrics (every 20 ms, for up to 30 s) until the gauge shows {@code expected}. */
    private static void awaitGauge(HttpClient http, ClusterProcess process, String name, long expected)
            throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (gauge(http, process, name) != expected) {
            assertThat(Instant.now()).as(name + " reaches " + expected).isBefore(deadline);
            Thread.sleep(20);   // another process's state: nothing here to wait on but its metrics
        }
    }

    private static long gauge(HttpClient http, ClusterProcess process, String name) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(process.base() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ")) return (long) Double.parseDouble(line.substring(name.length() + 1).trim());
        }
        throw new AssertionError("no " + name + " in " + process);
    }
}
