package dev.weft.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.e2e.Upstream;
import dev.weft.store.testing.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Three Weft processes on one PostgreSQL (one {@code api}, two {@code worker}s); a worker is killed with SIGKILL in
 * the middle of a run of 1,000 tasks whose middle node calls a slow loopback service. Every accepted task
 * completes, none is left behind, only the steps that were in flight in the killed process call the service a
 * second time, and the other worker finishes the killed one's tasks within a lease (plus one rescuer round).
 */
class ClusterChaosTest {

    static final int TASKS = 1_000;
    static final int SUBMITTERS = 8;
    static final Duration LEASE = Duration.ofSeconds(3);
    /** How often the rescuer runs: {@code Rescuer.intervalFor(LEASE)}. */
    static final Duration RESCUE_EVERY = LEASE.dividedBy(6);
    /** Time for the taken-over tasks' remaining steps, on a loaded 2-core machine. */
    static final Duration FINISH_SLACK = Duration.ofMillis(1_500);

    @Test
    void killing_a_worker_mid_run_loses_no_task_and_repeats_only_its_steps_in_flight() throws Exception {
        String url = TestPostgres.newDatabase();
        ClusterClient client = new ClusterClient(url);
        Map<String, String> env = Map.of("WEFT_LEASE", LEASE.toSeconds() + "s", "WEFT_WORKER_SLOTS", "8");
        ExecutorService pool = Executors.newFixedThreadPool(SUBMITTERS + 3);
        try (Upstream upstream = new Upstream(20, 50)) {
            Future<ClusterProcess> startingApi = pool.submit(() -> ClusterProcess.start("api", url, "api", env));
            Future<ClusterProcess> startingDoomed = pool.submit(() -> ClusterProcess.start("worker-1", url, "worker", env));
            Future<ClusterProcess> startingSurvivor = pool.submit(() -> ClusterProcess.start("worker-2", url, "worker", env));
            try (ClusterProcess api = startingApi.get(); ClusterProcess doomed = startingDoomed.get();
                 ClusterProcess survivor = startingSurvivor.get()) {
                long flowId = client.publish(api.base(), ClusterClient.flow("/work"));
                String key = client.key(api.base());
                assertThat(client.status(survivor.base(), "/health")).isEqualTo(200);
                assertThat(client.status(survivor.base(), "/api/v1/task/1")).as("a worker serves no API").isEqualTo(404);

                long startedAt = System.nanoTime();
                long[] idOfN = new long[TASKS];
                List<Future<?>> submitted = new ArrayList<>();
                for (int s = 0; s < SUBMITTERS; s++) {
                    int first = s;
                    submitted.add(pool.submit(() -> {
                        for (int n = first; n < TASKS; n += SUBMITTERS) {
                            idOfN[n] = client.execute(api.base(), flowId, key, n, upstream.base());
                        }
                        return null;
                    }));
                }
                client.awaitNumber("SELECT CASE WHEN COUNT(*) >= " + TASKS / 4 + " THEN 1 ELSE 0 END FROM tasks "
                        + "WHERE state = 'completed'", 1, Duration.ofSeconds(60));

                doomed.kill();
                long killedAt = System.currentTimeMillis();
                String owner = "%/" + doomed.pid() + "/%";
                Set<Long> held = new HashSet<>(client.longs(
                        "SELECT id FROM tasks WHERE state = 'running' AND lease_owner LIKE ?", owner));
                Set<Long> inFlight = new HashSet<>(client.longs("""
                        SELECT t.id FROM tasks t WHERE t.state = 'running' AND t.lease_owner LIKE ?
                        AND NOT EXISTS (SELECT 1 FROM steps s WHERE s.task_id = t.id AND s.node_id = 'work')""", owner));
                assertThat(client.texts("SELECT DISTINCT lease_owner FROM tasks WHERE lease_owner IS NOT NULL"))
                        .as("the api process runs no task").noneMatch(o -> o.contains("/" + api.pid() + "/"));
                System.out.printf("killed %s holding %d task(s), %d with their http step in flight%n", doomed,
                        held.size(), inFlight.size());
                assertThat(held).as("the killed worker was running tasks").isNotEmpty();

                for (Future<?> f : submitted) f.get();
                List<Long> ids = new ArrayList<>();
                for (long id : idOfN) ids.add(id);
                assertThat(ids).doesNotHaveDuplicates().doesNotContain(0L);
                client.awaitNumber("SELECT COUNT(*) FROM tasks WHERE state = 'completed'", TASKS, Duration.ofSeconds(90));
                System.out.printf("%d tasks completed %d ms after the first execute%n", TASKS,
                        (System.nanoTime() - startedAt) / 1_000_000);

                assertThat(client.number("SELECT COUNT(*) FROM tasks WHERE state IN ('queued', 'running')"))
                        .as("no task stuck").isZero();
                for (long id : ids) {
                    JsonNode task = client.task(api.base(), id, key);
                    assertThat(task.path("status").asInt()).as("task %s", task).isEqualTo(3);
                }
                int repeated = 0;
                for (int n = 0; n < TASKS; n++) {
                    long id = idOfN[n];
                    int calls = upstream.calls("/work", "n=" + n);
                    if (inFlight.contains(id)) {
                        assertThat(calls).as("calls for task %d (n=%d), in flight at the kill", id, n).isBetween(1, 2);
                        if (calls == 2) repeated++;
                    } else {
                        assertThat(calls).as("calls for task %d (n=%d)", id, n).isEqualTo(1);
                    }
                }
                long lastTakenOver = client.number("SELECT MAX(finished_at) FROM tasks WHERE id = ANY (?)",
                        (Object) held.toArray(Long[]::new));
                Duration failover = Duration.ofMillis(lastTakenOver - killedAt);
                System.out.printf("%d step(s) ran twice; the killed worker's last task finished %d ms after the kill%n",
                        repeated, failover.toMillis());
                assertThat(failover).isLessThanOrEqualTo(LEASE.plus(RESCUE_EVERY).plus(FINISH_SLACK));
                assertThat(client.longs("SELECT claims FROM tasks WHERE id = ANY (?)", (Object) held.toArray(Long[]::new)))
                        .as("the killed worker's tasks were claimed once more").allMatch(c -> c == 2);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
