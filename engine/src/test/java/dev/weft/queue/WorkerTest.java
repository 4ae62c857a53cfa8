package dev.weft.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.CompiledFlows;
import dev.weft.engine.Limits;
import dev.weft.engine.testing.DirectExecutorService;
import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.RecordingJournal;
import dev.weft.engine.testing.TestEngine;
import dev.weft.engine.testing.TestNodes;
import dev.weft.flow.Flow;
import dev.weft.registry.NodeRegistry;
import dev.weft.task.TaskState;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerTest {

    private final TestNodes.Flaky flaky = TestNodes.flaky(2);
    private final NodeRegistry registry = TestNodes.registry(flaky);
    /** The first two calls fail: the first two tasks stay in flight until the timer passes the backoff. */
    private final Flow flow = Flows.flow().start("start").node("x", "flaky").retry(3, 1000, 1).end("end", "out")
            .edge("start", "x", "success -> @").edge("x", "end", "success -> out").validate(registry);
    private final RecordingJournal journal = new RecordingJournal();
    private final TestEngine test = new TestEngine(journal, new DirectExecutorService(), Limits.DEFAULT);
    private final ListQueue queue = new ListQueue();
    private final Worker worker = new Worker(queue, test.engine(), new CompiledFlows((id, version) -> flow, registry),
            journal, test.clock(), 2, Worker.POLL_DEFAULT);

    @Test
    void claims_only_as_many_tasks_as_it_has_free_slots() {
        queue.add(task(1, "start"), task(2, "start"), task(3, "start"));

        assertThat(worker.runOnce()).isEqualTo(2);
        assertThat(worker.freeSlots()).isZero();
        assertThat(worker.runOnce()).isZero();
        assertThat(queue.limits).containsExactly(2);

        test.timer().advance(Duration.ofSeconds(1));

        assertThat(journal.outcome(1).state()).isEqualTo(TaskState.COMPLETED);
        assertThat(journal.outcome(2).state()).isEqualTo(TaskState.COMPLETED);
        assertThat(worker.freeSlots()).isEqualTo(2);
        assertThat(worker.runOnce()).isEqualTo(1);
        assertThat(queue.limits).containsExactly(2, 2);
    }

    @Test
    void task_that_cannot_run_is_finished_as_failed_and_frees_its_slot() {
        queue.add(task(7, "no-such-start"));

        assertThat(worker.runOnce()).isEqualTo(1);

        assertThat(journal.outcome(7).state()).isEqualTo(TaskState.FAILED);
        assertThat(journal.outcome(7).error().type()).isEqualTo("invalid_task");
        assertThat(journal.outcome(7).error().message()).contains("no-such-start");
        assertThat(worker.freeSlots()).isEqualTo(2);
    }

    @Test
    void task_claimed_again_while_it_runs_here_is_left_running() {
        queue.add(task(1, "start"));
        worker.runOnce();
        queue.add(task(1, "start"));   // say its lease ran out and the queue handed it out again

        worker.runOnce();

        assertThat(journal.outcome(1)).as("not failed while it runs").isNull();
        assertThat(worker.freeSlots()).isEqualTo(1);
        test.timer().advance(Duration.ofSeconds(2));
        assertThat(journal.outcome(1).state()).isEqualTo(TaskState.COMPLETED);
        assertThat(worker.freeSlots()).isEqualTo(2);
    }

    @Test
    void a_task_ending_claims_again_only_when_tasks_may_be_waiting_for_a_slot() {
        assertThat(worker.claimsWhenATaskEnds()).as("nothing known yet").isTrue();

        queue.add(task(1, "start"));
        worker.runOnce();
        assertThat(worker.claimsWhenATaskEnds()).as("the queue had fewer tasks than free slots").isFalse();

        queue.add(task(2, "start"), task(3, "start"));
        worker.runOnce();
        assertThat(worker.freeSlots()).isZero();
        assertThat(worker.claimsWhenATaskEnds()).as("every free slot filled: more may wait").isTrue();

        assertThat(worker.runOnce()).isZero();
        assertThat(worker.claimsWhenATaskEnds()).as("no free slot: a queued task waits for one").isTrue();

        test.timer().advance(Duration.ofSeconds(2));
        assertThat(worker.freeSlots()).isEqualTo(2);
        assertThat(worker.runOnce()).as("task 3, which waited for a slot").isEqualTo(1);
        assertThat(worker.claimsWhenATaskEnds()).isFalse();
    }

    @Test
    void with_a_queue_that_holds_tasks_back_a_task_ending_always_claims_again() {
        queue.holdsBack = true;
        queue.add(task(1, "start"));

        worker.runOnce();

        assertThat(worker.claimsWhenATaskEnds()).isTrue();
    }

    @Test
    void a_task_started_here_runs_on_a_free_slot_and_none_is_taken_when_all_are_busy() {
        assertThat(worker.startHere(() -> "accepted 1", accepted -> task(1, "start"))).contains("accepted 1");
        assertThat(worker.startHere(() -> "accepted 2", accepted -> task(2, "start"))).contains("accepted 2");
        assertThat(worker.freeSlots()).isZero();
        List<String> asked = new ArrayList<>();

        assertThat(worker.startHere(() -> {
            asked.add("accept");
            return "accepted 3";
        }, accepted -> task(3, "start"))).as("no free slot").isEmpty();

        assertThat(asked).as("nothing is accepted without a slot").isEmpty();
        test.timer().advance(Duration.ofSeconds(1));
        assertThat(journal.outcome(1).state()).isEqualTo(TaskState.COMPLETED);
        assertThat(journal.outcome(2).state()).isEqualTo(TaskState.COMPLETED);
        assertThat(worker.freeSlots()).isEqualTo(2);
    }

    @Test
    void a_start_here_that_fails_or_accepts_nothing_new_gives_its_slot_back() {
        assertThat(worker.startHere(() -> "existing task", accepted -> null)).contains("existing task");
        assertThat(worker.freeSlots()).isEqualTo(2);

        assertThatThrownBy(() -> worker.startHere(() -> {
            throw new IllegalStateException("the database is gone");
        }, accepted -> task(1, "start"))).hasMessage("the database is gone");

        assertThat(worker.freeSlots()).isEqualTo(2);
        assertThat(worker.runningTasks()).isEmpty();
    }

    @Test
    void a_stopping_worker_starts_nothing_here() {
        worker.close();

        assertThat(worker.startHere(() -> "accepted", accepted -> task(1, "start"))).isEmpty();
        assertThat(worker.freeSlots()).isEqualTo(2);
    }

    private static ClaimedTask task(long id, String start) {
        return new ClaimedTask(id, 1, 1, start, "end", null, Map.of(), List.of());
    }

    /** A queue over a list: hands out tasks in order and remembers each limit it was asked for. */
    private final class ListQueue implements TaskQueue {
        final Deque<ClaimedTask> tasks = new ArrayDeque<>();
        final List<Integer> limits = new ArrayList<>();
        boolean holdsBack;

        void add(ClaimedTask... more) {
            tasks.addAll(List.of(more));
        }

        @Override
        public List<ClaimedTask> claim(int limit) {
            limits.add(limit);
            List<ClaimedTask> claimed = new ArrayList<>();
            while (claimed.size() < limit && !tasks.isEmpty()) claimed.add(tasks.poll());
            return claimed;
        }

        @Override
        public boolean holdsBack() {
            return holdsBack;
        }
    }
}
