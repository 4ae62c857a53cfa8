package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.testing.Blocking;
import dev.weft.engine.testing.DirectExecutorService;
import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.RecordingJournal;
import dev.weft.engine.testing.TestEngine;
import dev.weft.engine.testing.TestNode;
import dev.weft.engine.testing.TestNodes;
import dev.weft.json.Json;
import dev.weft.task.StepRecord;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineConcurrencyTest {

    private final RecordingJournal journal = new RecordingJournal();
    private final Blocking blocking = new Blocking();
    private final TestNode counting = TestNodes.counting();
    private TestEngine test = new TestEngine(journal, Executors.newFixedThreadPool(3), Limits.DEFAULT);

    @AfterEach
    void stop() {
        blocking.release();
        test.close();
    }

    @Test
    void parallel_branches_run_at_the_same_time() throws Exception {
        CompletableFuture<TaskOutcome> outcome = test.start(twoBranches("block"));

        assertThat(blocking.awaitStarted(2)).as("both branches started before either was released").isTrue();
        assertThat(outcome).isNotDone();
        blocking.release();

        TaskOutcome done = outcome.get(5, TimeUnit.SECONDS);
        assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(done.result()).isEqualTo(Json.read("{\"x\": {\"attempt\": 1}, \"y\": {\"attempt\": 1}}"));
    }

    @Test
    void each_node_of_parallel_branches_runs_once_when_everything_runs_on_one_thread() {
        test.close();
        test = new TestEngine(journal, new DirectExecutorService(), Limits.DEFAULT);

        TaskOutcome done = test.start(twoBranches("count")).join();

        assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(counting.callCount("a")).isEqualTo(1);
        assertThat(counting.callCount("b")).isEqualTo(1);
        assertThat(journal.steps()).extracting(StepRecord::nodeId).doesNotHaveDuplicates();
    }

    @Test
    void cancel_ends_the_task_as_cancelled_and_interrupts_running_attempts() throws Exception {
        long taskId = test.nextTaskId();
        CompletableFuture<TaskOutcome> outcome = test.start(twoBranches("block"));
        assertThat(blocking.awaitStarted(2)).isTrue();

        assertThat(test.engine().cancel(taskId)).isTrue();

        TaskOutcome cancelled = outcome.get(5, TimeUnit.SECONDS);
        assertThat(cancelled.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(blocking.awaitInterrupted(2)).as("both running attempts were interrupted").isTrue();
        assertThat(journal.outcome(taskId)).isEqualTo(cancelled);
        assertThat(journal.steps()).extracting(StepRecord::nodeId).containsExactly("start");
        assertThat(test.engine().runningTasks()).isZero();
        assertThat(test.engine().cancel(taskId)).as("a finished task is not running any more").isFalse();
    }

    /** start -> a, b (both of {@code type}) -> end {x: a, y: b} */
    private Graph twoBranches(String type) {
        return Flows.flow().start("start").node("a", type).node("b", type).end("end", "x", "y")
                .edge("start", "a", "success -> @").edge("start", "b", "success -> @")
                .edge("a", "end", "success -> x").edge("b", "end", "success -> y")
                .compile(TestNodes.registry(blocking, counting));
    }
}
