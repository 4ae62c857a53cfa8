package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.weft.engine.testing.Blocking;
import dev.weft.engine.testing.DirectExecutorService;
import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.RecordingJournal;
import dev.weft.engine.testing.TestEngine;
import dev.weft.engine.testing.TestNode;
import dev.weft.engine.testing.TestNodes;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.task.Attempt;
import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import dev.weft.task.TaskError;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineFailureTest {

    private final RecordingJournal journal = new RecordingJournal();
    private TestEngine test = new TestEngine(journal, new DirectExecutorService(), Limits.DEFAULT);
    private final Instant t0 = test.clock().instant();

    @AfterEach
    void stop() {
        test.close();
    }

    @Test
    void failed_step_is_retried_only_after_its_backoff_then_succeeds() {
        TestNodes.Flaky flaky = TestNodes.flaky(2);
        CompletableFuture<TaskOutcome> outcome = test.start(oneNode("flaky").retry(3, 1000, 2)
                .compile(TestNodes.registry(flaky)));

        assertThat(flaky.callCount()).isEqualTo(1);
        test.timer().advance(Duration.ofMillis(999));
        assertThat(flaky.callCount()).as("not before the first backoff").isEqualTo(1);
        test.timer().advance(Duration.ofMillis(1));
        assertThat(flaky.callCount()).isEqualTo(2);
        test.timer().advance(Duration.ofMillis(1999));
        assertThat(flaky.callCount()).as("the second backoff is doubled").isEqualTo(2);
        assertThat(outcome).isNotDone();
        test.timer().advance(Duration.ofMillis(1));

        assertThat(outcome.join().result()).isEqualTo(Json.read("{\"out\": {\"attempt\": 3, \"call\": 3}}"));
        assertThat(flaky.calls()).extracting(NodeCall::attempt).containsExactly(1, 2, 3);
        StepRecord step = journal.step("x");
        assertThat(step.attempts()).extracting(Attempt::number, Attempt::startedAt).containsExactly(
                tuple(1, t0),
                tuple(2, t0.plusSeconds(1)),
                tuple(3, t0.plusSeconds(3)));
        assertThat(step.attempts().get(0).error()).isEqualTo(new TaskError("flaky", "failure 1 of 2", "x"));
        assertThat(step.attempts().get(2).error()).isNull();
        assertThat(step.startedAt()).isEqualTo(t0);
        assertThat(step.finishedAt()).isEqualTo(t0.plusSeconds(3));
    }

    @Test
    void exhausted_retries_fail_the_task_with_the_last_error() {
        TestNodes.Flaky flaky = TestNodes.flaky(Integer.MAX_VALUE);
        CompletableFuture<TaskOutcome> outcome = test.start(oneNode("flaky").retry(2, 100, 1)
                .compile(TestNodes.registry(flaky)));
        test.timer().advance(Duration.ofMillis(100));

        TaskOutcome failed = outcome.join();
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.error()).isEqualTo(new TaskError("flaky", "failure 2 of " + Integer.MAX_VALUE, "x"));
        assertThat(journal.step("x").state()).isEqualTo(StepState.FAILED);
        assertThat(journal.step("x").attempts()).hasSize(2);
        assertThat(journal.steps("end")).as("nothing runs after a failure").isEmpty();
        assertThat(journal.outcome(1)).isEqualTo(failed);
    }

    @Test
    void error_that_is_not_retryable_fails_at_once() {
        TestNode inc = TestNodes.inc();
        Graph graph = Flows.flow().start("start", "n:string").data("{\"n\": \"one\"}").node("x", "inc")
                .retry(5, 100, 1).end("end", "out").edge("start", "x", "n").edge("x", "end", "n -> out")
                .compile(TestNodes.registry(inc));

        TaskOutcome failed = test.start(graph).join();

        assertThat(failed.error().type()).isEqualTo("bad_input");
        assertThat(inc.callCount()).isEqualTo(1);
        assertThat(test.timer().pending()).isZero();
    }

    @Test
    void on_error_continue_routes_the_error_to_the_error_port() {
        TestNodes.Flaky flaky = TestNodes.flaky(Integer.MAX_VALUE);
        TestNode counting = TestNodes.counting();
        Graph graph = Flows.flow().start("start").node("x", "flaky").onErrorContinue()
                .node("handler", "count").node("normal", "count").end("end", "handled", "result")
                .edge("start", "x", "success -> @")
                .edge("x", "handler", "error -> failure").edge("x", "normal", "success -> value")
                .edge("handler", "end", "failure -> handled").edge("normal", "end", "value -> result")
                .compile(TestNodes.registry(flaky, counting));

        TaskOutcome outcome = test.start(graph).join();

        assertThat(outcome.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(outcome.result()).isEqualTo(Json.read("""
                {"handled": {"type": "flaky", "message": "failure 1 of 2147483647", "node_id": "x"},
                 "result": null}"""));
        assertThat(journal.step("x").port()).isEqualTo("error");
        assertThat(journal.step("x").state()).isEqualTo(StepState.DONE);
        assertThat(journal.step("normal").state()).isEqualTo(StepState.SKIPPED);
        assertThat(counting.callCount("normal")).isZero();
    }

    @Test
    void timeout_fails_the_attempt_once_the_timer_reaches_it() throws Exception {
        Blocking blocking = new Blocking();
        test = pooled(2);
        CompletableFuture<TaskOutcome> outcome = test.start(oneNode("block").timeoutMs(1000)
                .compile(TestNodes.registry(blocking)));
        assertThat(blocking.awaitStarted(1)).isTrue();

        test.timer().advance(Duration.ofMillis(999));
        assertThat(outcome).isNotDone();
        test.timer().advance(Duration.ofMillis(1));

        TaskOutcome failed = outcome.get(5, TimeUnit.SECONDS);
        assertThat(failed.error().type()).isEqualTo("timeout");
        assertThat(failed.error().nodeId()).isEqualTo("x");
        assertThat(failed.error().message()).contains("1000 ms");
        assertThat(blocking.awaitInterrupted(1)).as("the timed-out attempt was interrupted").isTrue();
    }

    @Test
    void late_answer_of_a_timed_out_attempt_is_ignored() throws Exception {
        Blocking blocking = Blocking.ignoringInterrupts();
        test = pooled(2);
        CompletableFuture<TaskOutcome> outcome = test.start(oneNode("block").timeoutMs(1000).retry(2, 500, 1)
                .compile(TestNodes.registry(blocking)));
        assertThat(blocking.awaitStarted(1)).isTrue();
        test.timer().advance(Duration.ofMillis(1000));
        test.timer().advance(Duration.ofMillis(500));
        assertThat(blocking.awaitStarted(1)).as("attempt 2 started").isTrue();

        blocking.release();

        TaskOutcome done = outcome.get(5, TimeUnit.SECONDS);
        assertThat(blocking.awaitAnswered(2)).isTrue();
        assertThat(done.result().get("out").get("attempt").asInt()).isEqualTo(2);
        StepRecord step = journal.step("x");
        assertThat(step.attempts()).extracting(Attempt::number).containsExactly(1, 2);
        assertThat(step.attempts().get(0).error().type()).isEqualTo("timeout");
    }

    /** start -> x (of {@code type}, its policy set by the caller) -> end.out */
    private static Flows oneNode(String type) {
        return Flows.flow().start("start").end("end", "out").node("x", type)
                .edge("start", "x", "success -> @").edge("x", "end", "success -> out");
    }

    private TestEngine pooled(int threads) {
        test.close();
        return new TestEngine(journal, Executors.newFixedThreadPool(threads), Limits.DEFAULT);
    }
}
