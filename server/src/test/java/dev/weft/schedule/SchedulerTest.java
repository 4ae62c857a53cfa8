package dev.weft.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.ManualClock;
import dev.weft.json.Json;
import dev.weft.store.Database;
import dev.weft.store.JdbcFlowStore;
import dev.weft.store.JdbcScheduleStore;
import dev.weft.store.JdbcTaskStore;
import dev.weft.store.NewTask;
import dev.weft.store.ScheduleRecord;
import dev.weft.store.StartMode;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's rounds driven by a manual clock on a real store: a due tick starts once, a round with nothing due
 * starts nothing, ticks missed while the process was down follow the policy, and a second scheduler (another
 * process) at the same moment finds nothing left to start.
 */
class SchedulerTest {

    static final Instant TEN = Instant.parse("2025-01-01T10:00:00Z");
    final ManualClock clock = new ManualClock(TEN.plusMillis(200));
    Database database;
    JdbcScheduleStore schedules;
    JdbcTaskStore tasks;
    long flowId;

    @BeforeEach
    void open() throws IOException {
        database = Database.openSqlite(Files.createTempDirectory("weft-scheduler"));
        JdbcFlowStore flows = new JdbcFlowStore(database, clock);
        tasks = new JdbcTaskStore(database, flows, clock, "a", Duration.ofSeconds(30));
        schedules = new JdbcScheduleStore(database, clock);
        JsonNode doc = Flows.flow().start("start").node("work", "block").end("end", "out")
                .edge("start", "work", "success -> @").edge("work", "end", "success -> out").document();
        flowId = flows.create("scheduled", doc).id();
        flows.publish(flowId, doc);
    }

    @AfterEach
    void close() {
        database.close();
    }

    Scheduler scheduler() {
        return new Scheduler(schedules, (schedule, claim) -> tasks.accept().accept(new NewTask(flowId, 1, "start",
                "end", "end", Map.of(), null), new StartMode.Queued(List.of()), claim), clock);
    }

    ScheduleRecord everyMinute(String catchUp) {
        return schedules.create(flowId, new ScheduleRecord.Settings("* * * * *", "UTC", Json.object(), true, catchUp,
                10), TEN).orElseThrow();
    }

    List<Instant> ticks(ScheduleRecord schedule) {
        return schedules.ticks(schedule.id(), Instant.EPOCH, TEN.plus(Duration.ofDays(1))).stream()
                .map(ScheduleRecord.Tick::dueAt).toList();
    }

    @Test
    void a_due_tick_starts_once_and_the_next_round_waits_for_the_next_fire_time() {
        ScheduleRecord schedule = everyMinute("skip");
        Scheduler scheduler = scheduler();
        assertThat(scheduler.runOnce()).isEqualTo(new Scheduler.Round(1, 0, 0));
        assertThat(scheduler.runOnce()).isEqualTo(new Scheduler.Round(0, 0, 0));
        clock.advance(Duration.ofSeconds(60));
        assertThat(scheduler.runOnce()).isEqualTo(new Scheduler.Round(1, 0, 0));
        assertThat(ticks(schedule)).containsExactly(TEN, TEN.plusSeconds(60));
        assertThat(tasks.reads().queuedCount()).isEqualTo(2);
        scheduler.close();
    }

    @Test
    void ticks_missed_while_down_follow_the_policy_once() {
        ScheduleRecord schedule = everyMinute("once");
        Scheduler scheduler = scheduler();
        scheduler.runOnce();
        clock.advance(Duration.ofHours(2));   // down from 10:00 to 12:00
        assertThat(scheduler.runOnce()).isEqualTo(new Scheduler.Round(2, 0, 0));
        assertThat(ticks(schedule)).containsExactly(TEN, Instant.parse("2025-01-01T11:59:00Z"),
                Instant.parse("2025-01-01T12:00:00Z"));
        assertThat(schedules.find(flowId, schedule.id()).orElseThrow().nextDue())
                .isEqualTo(Instant.parse("2025-01-01T12:01:00Z"));
        scheduler.close();
    }

    @Test
    void ticks_missed_while_down_are_skipped_but_the_cursor_moves_past_them() {
        ScheduleRecord schedule = everyMinute("skip");
        clock.advance(Duration.ofHours(2));
        Scheduler scheduler = scheduler();
        assertThat(scheduler.runOnce()).isEqualTo(new Scheduler.Round(1, 0, 0));
        assertThat(ticks(schedule)).containsExactly(Instant.parse("2025-01-01T12:00:00Z"));
        scheduler.close();
    }

    @Test
    void another_process_at_the_same_moment_finds_every_tick_started() {
        ScheduleRecord schedule = everyMinute("all");
        clock.advance(Duration.ofMinutes(5));
        Scheduler one = scheduler();
        Scheduler other = scheduler();
        assertThat(one.runOnce().started()).isEqualTo(6);
        assertThat(other.runOnce()).isEqualTo(new Scheduler.Round(0, 0, 0));
        assertThat(ticks(schedule)).hasSize(6);
        assertThat(tasks.reads().queuedCount()).isEqualTo(6);
        one.close();
        other.close();
    }
}
