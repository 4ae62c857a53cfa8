package dev.weft.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.api.TestServer;
import dev.weft.store.testing.TestPostgres;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Schedules on three processes sharing one PostgreSQL, two of them killed with SIGKILL while every-second schedules
 * tick and one process started afresh: every tick from a schedule's first to its last ran exactly once (one claim
 * and one task per tick, no tick missing between them), and every tick's task completed.
 */
class ClusterScheduleTest {

    static final int SCHEDULES = 3;
    static final Map<String, String> ENV = Map.of("WEFT_LEASE", "3s", "WEFT_SCHEDULE_MIN_INTERVAL", "1s");
    static final Duration LIMIT = Duration.ofSeconds(60);   // a failure bound for each step, not a measure

    @Test
    void every_tick_runs_exactly_once_while_processes_are_killed_and_started() throws Exception {
        String url = TestPostgres.newDatabase();
        ClusterClient client = new ClusterClient(url);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<ClusterProcess>> starting = new ArrayList<>();
        for (String name : List.of("tick-a", "tick-b", "tick-c")) {
            starting.add(pool.submit(() -> ClusterProcess.start(name, url, "all", ENV)));
        }
        try (ClusterProcess a = starting.get(0).get(); ClusterProcess b = starting.get(1).get();
             ClusterProcess c = starting.get(2).get()) {
            long flowId = client.publish(a.base(), TestServer.example("hello.json"));
            List<Long> ids = new ArrayList<>();
            List<String> firstDue = new ArrayList<>();
            for (int n = 0; n < SCHEDULES; n++) {
                JsonNode made = client.call(a.base(), "POST", "/api/v1/flows/" + flowId + "/schedules",
                        "{\"cron\": \"* * * * * *\", \"inputs\": {\"name\": \"s" + n + "\"}, \"catch_up\": \"all\","
                                + " \"catch_up_limit\": 100}", ClusterClient.ADMIN_AUTH);
                ids.add(made.path("id").asLong());
                firstDue.add(made.path("next_due").asText());
            }
            awaitTicks(client, 3 * SCHEDULES);
            b.kill();
            long afterFirstKill = ticks(client);
            awaitTicks(client, afterFirstKill + 3 * SCHEDULES);
            c.kill();
            long afterSecondKill = ticks(client);
            awaitTicks(client, afterSecondKill + 3 * SCHEDULES);
            try (ClusterProcess d = ClusterProcess.start("tick-d", url, "all", ENV)) {
                long afterRestart = ticks(client);
                awaitTicks(client, afterRestart + 3 * SCHEDULES);
                a.kill();   // only the new process is left
                long afterThirdKill = ticks(client);
                awaitTicks(client, afterThirdKill + 3 * SCHEDULES);
                for (long id : ids) {
                    client.call(d.base(), "PUT", "/api/v1/flows/" + flowId + "/schedules/" + id,
                            "{\"cron\": \"* * * * * *\", \"inputs\": {\"name\": \"off\"}, \"enabled\": false}",
                            ClusterClient.ADMIN_AUTH);
                }
                long ticks = awaitAllCompleted(client);

                for (int n = 0; n < SCHEDULES; n++) {
                    long id = ids.get(n);
                    List<Long> due = client.longs("SELECT due_at FROM schedule_ticks WHERE schedule_id = ? ORDER BY"
                            + " due_at", id);
                    assertThat(due.get(0)).as("the first tick is the first fire time")
                            .isEqualTo(OffsetDateTime.parse(firstDue.get(n)).toInstant().toEpochMilli());
                    assertThat(due).as("fire times are whole seconds").allMatch(at -> at % 1000 == 0);
                    for (int i = 1; i < due.size(); i++) {
                        assertThat(due.get(i) - due.get(i - 1)).as("schedule %d: no tick lost before %d", id,
                                due.get(i)).isEqualTo(1000);
                    }
                    assertThat(client.number("SELECT COUNT(DISTINCT task_id) FROM schedule_ticks WHERE schedule_id"
                            + " = ? AND task_id IS NOT NULL", id)).as("one task per tick").isEqualTo(due.size());
                    assertThat(client.number("SELECT COUNT(*) FROM tasks k JOIN schedule_ticks t ON t.task_id = k.id"
                            + " WHERE t.schedule_id = ? AND k.result LIKE ?", id, "%Hello, s" + n + "!%"))
                            .as("each ran with its schedule's inputs").isEqualTo(due.size());
                }
                assertThat(client.number("SELECT COUNT(*) FROM tasks WHERE flow_id = ?", flowId))
                        .as("no task without its tick (none run twice)").isEqualTo(ticks);
                System.out.printf("%d ticks ran once each across 3 kills and a restart%n", ticks);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits until every claimed tick's task completed (a round in flight may still claim one); returns how many. */
    private static long awaitAllCompleted(ClusterClient client) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (true) {
            long ticks = ticks(client);
            long completed = client.number("SELECT COUNT(*) FROM tasks WHERE state = 'completed'");
            if (completed == ticks) return ticks;
            if (System.nanoTime() > deadline) throw new AssertionError(completed + " of " + ticks + " tasks completed");
            Thread.sleep(50);   // other processes' progress: nothing here to wait on but the database
        }
    }

    private static long ticks(ClusterClient client) throws Exception {
        return client.number("SELECT COUNT(*) FROM schedule_ticks");
    }

    /** Waits until at least {@code count} ticks were claimed (every-second schedules: a few seconds). */
    private static void awaitTicks(ClusterClient client, long count) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (ticks(client) < count) {
            if (System.nanoTime() > deadline) throw new AssertionError("fewer than " + count + " ticks within " + LIMIT);
            Thread.sleep(50);   // other processes' progress: nothing here to wait on but the database
        }
    }
}
