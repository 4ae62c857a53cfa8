package dev.weft.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.e2e.Upstream;
import dev.weft.store.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A cancel sent to one process stops the task that another process runs: the worker process finds the task
 * cancelled in the database (it checks the tasks it runs every second) and stops its steps, even a call in flight.
 */
class ClusterCancelTest {

    @Test
    void a_task_cancelled_through_an_api_process_stops_in_the_worker_process_running_it() throws Exception {
        String url = TestPostgres.newDatabase();
        ClusterClient client = new ClusterClient(url);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Upstream upstream = new Upstream(20, 50)) {
            upstream.holdCallsTo("/hold");
            Future<ClusterProcess> startingApi = pool.submit(() -> ClusterProcess.start("api", url, "api", Map.of()));
            Future<ClusterProcess> startingWorker = pool.submit(() ->
                    ClusterProcess.start("worker", url, "worker", Map.of()));
            try (ClusterProcess api = startingApi.get(); ClusterProcess worker = startingWorker.get()) {
                long flowId = client.publish(api.base(), ClusterClient.flow("/hold", "/after"));
                String key = client.key(api.base());
                long id = client.execute(api.base(), flowId, key, 1, upstream.base());
                upstream.awaitCalls("/hold", 1, Duration.ofSeconds(30));
                assertThat(runningHere(worker)).isEqualTo(1);

                assertThat(client.call(api.base(), "POST", "/api/v1/task/" + id + "/cancel", null, key)
                        .path("status").asInt()).isEqualTo(5);
                Instant deadline = Instant.now().plusSeconds(10);
                while (runningHere(worker) != 0) {
                    assertThat(Instant.now()).as("the worker stops the task while its call is still held")
                            .isBefore(deadline);
                    Thread.sleep(50);   // polling another process's metrics
                }
                upstream.release();
                assertThat(client.task(api.base(), id, key).path("status").asInt()).isEqualTo(5);
                assertThat(client.number("SELECT COUNT(*) FROM steps WHERE task_id = ? AND node_id <> 'start'", id))
                        .as("nothing the worker did after the cancel was recorded").isZero();
                assertThat(upstream.calls("/after")).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long runningHere(ClusterProcess process) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(process.base() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("weft_tasks_running_here ")) return (long) Double.parseDouble(line.substring(24).trim());
        }
        throw new AssertionError("no weft_tasks_running_here in " + process);
    }
}
