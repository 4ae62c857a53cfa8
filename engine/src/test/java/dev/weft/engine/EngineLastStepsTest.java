package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.testing.DirectExecutorService;
import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.RecordingJournal;
import dev.weft.engine.testing.TestEngine;
import dev.weft.engine.testing.TestNodes;
import dev.weft.json.Json;
import dev.weft.node.NodeOutput;
import dev.weft.task.StepRecord;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A task's last stretch: the steps after which only pure nodes run, once nothing else is running, are recorded with
 * the task's outcome (one commit fewer between the last answer and the end); every other step is committed before
 * what depends on it starts, as before.
 */
class EngineLastStepsTest {

    private final EngineAsyncTest.Later later = new EngineAsyncTest.Later();
    private final RecordingJournal journal = new RecordingJournal();
    private final TestEngine test = new TestEngine(journal, new DirectExecutorService(), Limits.DEFAULT);

    private CompletableFuture<TaskOutcome> start(Flows flow) {
        return test.start(flow.compile(TestNodes.registry(later)));
    }

    private void answer(int call, String text) {
        later.answers.get(call).complete(NodeOutput.success(Json.object().put("v", text)));
    }

    /** start -> three calls side by side -> end: the shape of W3. */
    private static Flows fanOut() {
        return Flows.flow().start("start").end("end", "a", "b", "c")
                .node("a", "later").node("b", "later").node("c", "later")
                .edge("start", "a", "success -> @").edge("start", "b", "success -> @")
                .edge("start", "c", "success -> @")
                .edge("a", "end", "v -> a").edge("b", "end", "v -> b").edge("c", "end", "v -> c");
    }

    @Test
    void the_last_answer_of_a_fan_out_is_recorded_with_the_outcome_and_the_earlier_ones_on_their_own() {
        long taskId = test.nextTaskId();
        CompletableFuture<TaskOutcome> outcome = start(fanOut());
        assertThat(later.answers).hasSize(3);

        answer(1, "B");
        answer(0, "A");
        assertThat(journal.steps()).extracting(StepRecord::nodeId).containsExactly("start", "b", "a");
        assertThat(outcome).isNotDone();

        answer(2, "C");

        assertThat(outcome.join().result()).isEqualTo(Json.read("{\"a\": \"A\", \"b\": \"B\", \"c\": \"C\"}"));
        assertThat(journal.recordedWithOutcome(taskId)).extracting(StepRecord::nodeId).containsExactly("c", "end");
        assertThat(journal.steps()).extracting(StepRecord::nodeId).containsExactly("start", "b", "a", "c", "end");
        assertThat(journal.outcome(taskId).state()).isEqualTo(TaskState.COMPLETED);
    }

    @Test
    void a_step_followed_by_another_call_is_committed_before_that_call_starts() {
        long taskId = test.nextTaskId();
        CompletableFuture<Void> commit = journal.hold("x");
        CompletableFuture<TaskOutcome> outcome = start(Flows.flow().start("start").node("x", "later")
                .node("y", "later").end("end", "out").edge("start", "x", "success -> @").edge("x", "y", "success -> @")
                .edge("y", "end", "v -> out"));

        answer(0, "X");
        assertThat(later.answers).as("y waits for x's record to commit").hasSize(1);
        commit.complete(null);
        assertThat(later.answers).hasSize(2);
        answer(1, "Y");

        assertThat(outcome.join().result()).isEqualTo(Json.read("{\"out\": \"Y\"}"));
        assertThat(journal.recordedWithOutcome(taskId)).extracting(StepRecord::nodeId).containsExactly("y", "end");
    }

    @Test
    void last_steps_that_cannot_be_recorded_fail_the_task_with_a_storage_error() {
        long taskId = test.nextTaskId();
        journal.hold("x").completeExceptionally(new IllegalStateException("disk full"));
        CompletableFuture<TaskOutcome> outcome = start(Flows.flow().start("start").node("x", "later")
                .end("end", "out").edge("start", "x", "success -> @").edge("x", "end", "v -> out"));

        answer(0, "X");

        TaskOutcome failed = outcome.join();
        assertThat(journal.recordedWithOutcome(taskId)).extracting(StepRecord::nodeId).containsExactly("x", "end");
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.error().type()).isEqualTo("storage");
        assertThat(failed.error().nodeId()).isEqualTo("x");
        assertThat(failed.error().message()).contains("disk full");
        assertThat(journal.outcome(taskId)).isEqualTo(failed);
    }
}
