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
 * Every Weft process goes away while PostgreSQL stays: one is stopped with SIGTERM (it gives its unfinished tasks
 * back at once), the other is killed with SIGKILL (its tasks wait for their leases to run out). New processes
 * resume everything: queued tasks run, running tasks resume from their recorded steps, and only the steps that
 * were in flight run again.
 */
class ClusterRestartTest {

    static final int TASKS = 20;
    static final int SLOTS = 4;
    static final Duration GRACE = Duration.ofSeconds(1);
    /**
     * Long enough that a live process renews its leases even when CI starves it for seconds (with 3 s a resumed
     * process lost one under load and its step ran a third time); the killed process's tasks wait this long.
     */
    static final Map<String, String> ENV = Map.of("WEFT_LEASE", "8s", "WEFT_WORKER_SLOTS", String.valueOf(SLOTS),
            "WEFT_SHUTDOWN_GRACE", GRACE.toMillis() + "ms");

    @Test
    void after_all_processes_restart_queued_and_running_tasks_resume() throws Exception {
        String url = TestPostgres.newDatabase();
        ClusterClient client = new ClusterClient(url);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Upstream upstream = new Upstream(20, 50)) {
            upstream.holdCallsTo("/work");
            List<Long> ids = new ArrayList<>();
            Set<Long> gracefulHeld;
            Set<Long> killedHeld;
            String key;
            Future<ClusterProcess> startingGraceful = pool.submit(() -> ClusterProcess.start("graceful", url, "all", ENV));
            Future<ClusterProcess> startingKilled = pool.submit(() -> ClusterProcess.start("killed", url, "all", ENV));
            try (ClusterProcess graceful = startingGraceful.get(); ClusterProcess killed = startingKilled.get()) {
                long flowId = client.publish(graceful.base(), ClusterClient.flow("/prep", "/work"));
                key = client.key(graceful.base());
                for (int n = 0; n < TASKS; n++) ids.add(client.execute(graceful.base(), flowId, key, n, upstream.base()));
                // each process now has SLOTS tasks blocked in /work; the others wait in the queue
                upstream.awaitCalls("/work", 2 * SLOTS, Duration.ofSeconds(30));
                gracefulHeld = held(client, graceful);
                killedHeld = held(client, killed);
                assertThat(gracefulHeld).hasSize(SLOTS);
                assertThat(killedHeld).hasSize(SLOTS);

                long stopping = System.nanoTime();
                assertThat(graceful.terminate(Duration.ofSeconds(15))).as("stops after its grace").isTrue();
                System.out.printf("graceful stop took %d ms%n", (System.nanoTime() - stopping) / 1_000_000);
                for (long id : gracefulHeld) {
                    assertThat(client.texts("SELECT state || '/' || COALESCE(lease_owner, '-') FROM tasks WHERE id = ?", id))
                            .as("task %d given back at once", id).containsExactly("queued/-");
                }
                killed.kill();
                assertThat(held(client, killed)).as("a killed process gives nothing back").isEqualTo(killedHeld);
            }
            assertThat(client.number("SELECT COUNT(*) FROM tasks WHERE state = 'queued'"))
                    .isEqualTo(TASKS - killedHeld.size());
            upstream.release();

            Future<ClusterProcess> startingA = pool.submit(() -> ClusterProcess.start("again-1", url, "all", ENV));
            Future<ClusterProcess> startingB = pool.submit(() -> ClusterProcess.start("again-2", url, "all", ENV));
            try (ClusterProcess again = startingA.get(); ClusterProcess also = startingB.get()) {
                client.awaitNumber("SELECT COUNT(*) FROM tasks WHERE state = 'completed'", TASKS, Duration.ofSeconds(60));
                for (int n = 0; n < TASKS; n++) {
                    JsonNode task = client.task(n % 2 == 0 ? again.base() : also.base(), ids.get(n), key);
                    assertThat(task.path("status").asInt()).as("task %s", task).isEqualTo(3);
                    assertThat(task.path("result").path("n").asText()).isEqualTo(String.valueOf(n));
                }
            }
            Set<Long> inFlight = new HashSet<>(gracefulHeld);
            inFlight.addAll(killedHeld);
            for (int n = 0; n < TASKS; n++) {
                long id = ids.get(n);
                assertThat(upstream.calls("/prep", "n=" + n)).as("recorded first step of task %d is not run again", id)
                        .isEqualTo(1);
                assertThat(upstream.calls("/work", "n=" + n)).as("second step of task %d", id)
                        .isEqualTo(inFlight.contains(id) ? 2 : 1);
            }
            assertThat(client.number("SELECT COUNT(*) FROM tasks WHERE state <> 'completed'")).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    private static Set<Long> held(ClusterClient client, ClusterProcess process) throws Exception {
        return new HashSet<>(client.longs("SELECT id FROM tasks WHERE state = 'running' AND lease_owner LIKE ?",
                "%/" + process.pid() + "/%"));
    }
}
