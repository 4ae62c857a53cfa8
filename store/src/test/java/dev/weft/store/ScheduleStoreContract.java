package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.ManualClock;
import dev.weft.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Schedules and the claim of their ticks, on every database: a tick's claim commits with its task or not at all,
 * a tick claimed twice (by the same or another process) answers with the first task, and the cursor only moves on.
 */
abstract class ScheduleStoreContract {

    static final Instant DUE = ManualClock.START_DEFAULT.plusSeconds(60);
    final ManualClock clock = new ManualClock();
    Database database;
    JdbcFlowStore flows;
    JdbcTaskStore tasks;
    JdbcScheduleStore schedules;
    long flowId;

    /** A new empty database. */
    abstract Database openFresh();

    /** A second connection to the database {@link #openFresh()} made last: another process. */
    abstract Database openAgain();

    @BeforeEach
    void open() {
        database = openFresh();
        flows = new JdbcFlowStore(database, clock);
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

    ScheduleRecord.Settings settings(boolean enabled) {
        return new ScheduleRecord.Settings("* * * * *", "UTC", Json.read("{\"name\":\"x\"}"), enabled, "skip", 10);
    }

    static NewTask task(long flowId) {
        return new NewTask(flowId, 1, "start", "end", "end", Map.of(), null);
    }

    Accepted tick(JdbcTaskStore store, JdbcScheduleStore on, long scheduleId, Instant due) {
        return store.accept().accept(task(flowId), new StartMode.Queued(List.of()),
                on.claim(scheduleId, due, due.plusSeconds(60)));
    }

    @Test
    void a_schedule_is_stored_read_listed_changed_and_deleted() {
        ScheduleRecord made = schedules.create(flowId, settings(true), DUE).orElseThrow();
        assertThat(made.settings()).isEqualTo(settings(true));
        assertThat(made.nextDue()).isEqualTo(DUE);
        assertThat(schedules.ofFlow(flowId)).containsExactly(made);
        assertThat(schedules.all()).containsExactly(made);
        ScheduleRecord off = schedules.update(flowId, made.id(), settings(false), null).orElseThrow();
        assertThat(off.settings().enabled()).isFalse();
        assertThat(off.nextDue()).isNull();
        assertThat(schedules.update(flowId + 1, made.id(), settings(true), DUE)).as("another flow's").isEmpty();
        assertThat(schedules.delete(flowId, made.id())).isTrue();
        assertThat(schedules.find(flowId, made.id())).isEmpty();
        assertThat(schedules.create(flowId + 99, settings(true), DUE)).as("no such flow").isEmpty();
    }

    @Test
    void due_lists_only_enabled_schedules_of_live_flows_whose_cursor_has_come() {
        ScheduleRecord due = schedules.create(flowId, settings(true), DUE).orElseThrow();
        schedules.create(flowId, settings(true), DUE.plusSeconds(60)).orElseThrow();
        schedules.create(flowId, settings(false), null).orElseThrow();
        assertThat(schedules.due(DUE)).extracting(ScheduleRecord::id).containsExactly(due.id());
        assertThat(schedules.earliestDue()).contains(DUE);
        flows.delete(flowId);
        assertThat(schedules.due(DUE.plusSeconds(600))).as("deleted flow").isEmpty();
        assertThat(schedules.earliestDue()).isEmpty();
    }

    @Test
    void a_tick_commits_with_its_task_and_moves_the_cursor_past_it() {
        ScheduleRecord schedule = schedules.create(flowId, settings(true), DUE).orElseThrow();
        Accepted accepted = tick(tasks, schedules, schedule.id(), DUE);
        assertThat(accepted.created()).isTrue();
        assertThat(schedules.lastTick(schedule.id())).hasValueSatisfying(tick -> {
            assertThat(tick.dueAt()).isEqualTo(DUE);
            assertThat(tick.taskId()).isEqualTo(accepted.task().id());
        });
        assertThat(schedules.find(flowId, schedule.id()).orElseThrow().nextDue()).isEqualTo(DUE.plusSeconds(60));
        assertThat(schedules.tasks(schedule.id(), Long.MAX_VALUE, 10)).extracting(TaskRecord::id)
                .containsExactly(accepted.task().id());
        assertThat(new JdbcTaskTriggers(database).of(List.of(accepted.task().id(), accepted.task().id() + 1)))
                .containsExactly(Map.entry(accepted.task().id(), new JdbcTaskTriggers.Trigger(accepted.task().id(),
                        "schedule", String.valueOf(schedule.id()), DUE)));
    }

    @Test
    void a_tick_claimed_again_answers_with_the_first_task_and_inserts_nothing() {
        ScheduleRecord schedule = schedules.create(flowId, settings(true), DUE).orElseThrow();
        Accepted first = tick(tasks, schedules, schedule.id(), DUE);
        Accepted again = tick(tasks, schedules, schedule.id(), DUE);
        assertThat(again.created()).isFalse();
        assertThat(again.task().id()).isEqualTo(first.task().id());
        assertThat(tasks.reads().queuedCount()).isEqualTo(1);
    }

    @Test
    void a_tick_whose_task_is_not_accepted_leaves_no_claim() {
        ScheduleRecord schedule = schedules.create(flowId, settings(true), DUE).orElseThrow();
        flows.delete(flowId);   // the accept refuses a deleted flow's task
        assertThatThrownBy(() -> tick(tasks, schedules, schedule.id(), DUE)).isInstanceOf(FlowChangedException.class);
        assertThat(schedules.lastTick(schedule.id())).isEmpty();
        assertThat(schedules.find(flowId, schedule.id()).orElseThrow().nextDue()).as("cursor unmoved").isEqualTo(DUE);
    }

    @Test
    void a_claimed_tick_whose_task_was_deleted_is_not_run_again() {
        ScheduleRecord schedule = schedules.create(flowId, settings(true), DUE).orElseThrow();
        Accepted first = tick(tasks, schedules, schedule.id(), DUE);
        database.writer().run(tx -> Rows.update(tx, "DELETE FROM tasks WHERE id = ?", first.task().id()));
        assertThatThrownBy(() -> tick(tasks, schedules, schedule.id(), DUE)).isInstanceOf(TickTakenException.class);
        assertThat(tasks.reads().queuedCount()).isZero();
    }

    @Test
    void the_cursor_only_moves_forward() {
        ScheduleRecord schedule = schedules.create(flowId, settings(true), DUE).orElseThrow();
        schedules.advance(schedule.id(), DUE.plusSeconds(120));
        schedules.advance(schedule.id(), DUE.plusSeconds(60));
        assertThat(schedules.find(flowId, schedule.id()).orElseThrow().nextDue()).isEqualTo(DUE.plusSeconds(120));
    }

    @Test
    void claims_older_than_the_pruning_age_are_deleted() {
        ScheduleRecord schedule = schedules.create(flowId, settings(true), DUE).orElseThrow();
        tick(tasks, schedules, schedule.id(), DUE);
        clock.advance(Duration.ofHours(1));
        tick(tasks, schedules, schedule.id(), DUE.plusSeconds(60));
        assertThat(schedules.prune(clock.instant().minusSeconds(1))).isEqualTo(1);
        assertThat(schedules.ticks(schedule.id(), Instant.EPOCH, DUE.plusSeconds(86_400)))
                .extracting(ScheduleRecord.Tick::dueAt).containsExactly(DUE.plusSeconds(60));
    }

    @Test
    void two_processes_claiming_the_same_ticks_at_once_start_one_task_per_tick() throws Exception {
        ScheduleRecord schedule = schedules.create(flowId, settings(true), DUE).orElseThrow();
        try (Database other = openAgain()) {
            JdbcFlowStore otherFlows = new JdbcFlowStore(other, clock);
            JdbcTaskStore otherTasks = new JdbcTaskStore(other, otherFlows, clock, "b", Duration.ofSeconds(30));
            JdbcScheduleStore otherSchedules = new JdbcScheduleStore(other, clock);
            int ticks = 20;
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Accepted>> results = new ArrayList<>();
            try {
                for (int t = 0; t < threads; t++) {
                    boolean mine = t % 2 == 0;
                    for (int i = 0; i < ticks; i++) {
                        Instant due = DUE.plusSeconds(60L * i);
                        Callable<Accepted> claim = () -> {
                            go.await();
                            return mine ? tick(tasks, schedules, schedule.id(), due)
                                    : tick(otherTasks, otherSchedules, schedule.id(), due);
                        };
                        results.add(pool.submit(claim));
                    }
                }
                go.countDown();
                Map<Instant, Long> taskOfTick = new java.util.HashMap<>();
                int created = 0;
                for (Future<Accepted> result : results) {
                    if (result.get(60, TimeUnit.SECONDS).created()) created++;
                }
                assertThat(created).as("one new task per tick").isEqualTo(ticks);
                for (ScheduleRecord.Tick tick : schedules.ticks(schedule.id(), DUE, DUE.plusSeconds(60L * ticks))) {
                    taskOfTick.put(tick.dueAt(), tick.taskId());
                }
                assertThat(taskOfTick).hasSize(ticks).doesNotContainValue(null);
                assertThat(tasks.reads().queuedCount()).isEqualTo(ticks);
                for (Future<Accepted> result : results) {
                    assertThat(taskOfTick).containsValue(result.get().task().id());
                }
                assertThat(schedules.find(flowId, schedule.id()).orElseThrow().nextDue())
                        .isEqualTo(DUE.plusSeconds(60L * ticks));
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
