package dev.weft.api;

import dev.weft.run.TaskWaits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.store.TaskRecord;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Waits answered by what the process hears (its engine, other processes' notifications), with the database read
 * once per finished task, and a safety net that finds finishes whose notification was lost. The safety net's own
 * period is an hour here: every answer below comes from a call the test makes.
 */
class TaskWaitsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long ID = 7;

    private final Map<Long, TaskState> states = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final List<Set<Long>> checked = new ArrayList<>();
    private final TaskWaits waits = new TaskWaits(this::read, this::finishedAmong, Duration.ofHours(1));

    @AfterEach
    void close() {
        waits.close();
    }

    @Test
    void every_wait_for_a_task_is_answered_by_its_finish_notification_with_one_read() throws Exception {
        states.put(ID, TaskState.RUNNING);
        List<CompletableFuture<TaskRecord>> answers = List.of(waits.await(ID, WAIT), waits.await(ID, WAIT),
                waits.await(ID, WAIT));
        assertThat(reads).as("registering a wait reads nothing").hasValue(0);
        assertThat(waits.waitedOn()).isEqualTo(1);

        states.put(ID, TaskState.COMPLETED);
        waits.finished(ID);

        for (CompletableFuture<TaskRecord> answer : answers) {
            assertThat(answer.get(5, TimeUnit.SECONDS).state()).isEqualTo(TaskState.COMPLETED);
        }
        assertThat(reads).as("one read for the three waits").hasValue(1);
        assertThat(waits.waitedOn()).isZero();
    }

    @Test
    void a_finish_heard_between_the_callers_read_and_the_wait_answers_it_at_once() throws Exception {
        states.put(ID, TaskState.COMPLETED);
        waits.finished(ID);   // nobody waits yet: only remembered
        assertThat(reads).hasValue(0);

        CompletableFuture<TaskRecord> answer = waits.await(ID, WAIT);

        assertThat(answer).isDone();
        assertThat(answer.get().state()).isEqualTo(TaskState.COMPLETED);
    }

    @Test
    void a_finish_recorded_by_the_engine_here_answers_the_wait() throws Exception {
        states.put(ID, TaskState.RUNNING);
        CompletableFuture<TaskRecord> answer = waits.await(ID, WAIT);

        states.put(ID, TaskState.FAILED);
        waits.taskFinished(ID, TaskOutcome.cancelled(), Instant.now());

        assertThat(answer.get(5, TimeUnit.SECONDS).state()).isEqualTo(TaskState.FAILED);
    }

    @Test
    void the_safety_net_answers_a_wait_whose_notification_was_lost_with_one_read_for_all_tasks() throws Exception {
        states.put(ID, TaskState.RUNNING);
        states.put(8L, TaskState.QUEUED);
        CompletableFuture<TaskRecord> lost = waits.await(ID, WAIT);
        CompletableFuture<TaskRecord> other = waits.await(8, WAIT);
        waits.recheck();
        assertThat(lost).as("nothing finished yet").isNotDone();

        states.put(ID, TaskState.COMPLETED);   // and no notification
        waits.recheck();

        assertThat(lost.get(5, TimeUnit.SECONDS).state()).isEqualTo(TaskState.COMPLETED);
        assertThat(other).isNotDone();
        assertThat(checked).containsExactly(Set.of(ID, 8L), Set.of(ID, 8L));
    }

    @Test
    void with_nobody_waiting_the_safety_net_reads_nothing() {
        waits.recheck();
        assertThat(checked).isEmpty();
    }

    @Test
    void a_wait_ends_at_its_limit_with_the_task_as_it_stands() throws Exception {
        states.put(ID, TaskState.RUNNING);

        TaskRecord answer = waits.await(ID, Duration.ofMillis(20)).get(5, TimeUnit.SECONDS);

        assertThat(answer.state()).isEqualTo(TaskState.RUNNING);
        assertThat(waits.waitedOn()).isZero();
    }

    @Test
    void a_notification_for_a_task_nobody_waits_for_reads_nothing() {
        waits.finished(99);
        waits.finished(100);
        assertThat(reads).hasValue(0);
    }

    private Optional<TaskRecord> read(long id) {
        reads.incrementAndGet();
        TaskState state = states.get(id);
        if (state == null) return Optional.empty();
        Instant now = Instant.now();
        return Optional.of(new TaskRecord(id, 1, 1, state, "start", "end", "end", null, null, null, null, now, now,
                state.finished() ? now : null));
    }

    private synchronized Set<Long> finishedAmong(Collection<Long> ids) {
        checked.add(Set.copyOf(ids));
        Set<Long> done = new HashSet<>();
        for (long id : ids) if (states.getOrDefault(id, TaskState.QUEUED).finished()) done.add(id);
        return done;
    }
}
