package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.TestEngine;
import dev.weft.engine.testing.TestNodes;
import dev.weft.json.Json;
import dev.weft.node.Catalogue;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Run;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Asynchronous nodes: started on the engine's thread, answered later, with timeouts and cancels applied to them. */
class EngineAsyncTest {

    /** Type {@code later}: each attempt's answer is a future the test completes; none holds a thread. */
    static final class Later implements NodeType {
        final List<CompletableFuture<NodeOutput>> answers = new CopyOnWriteArrayList<>();

        @Override
        public String id() {
            return "later";
        }

        @Override
        public Catalogue catalogue() {
            return Catalogue.minimal(id());
        }

        @Override
        public Run run() {
            return Run.async(this::runAsync);
        }

        CompletionStage<NodeOutput> runAsync(NodeCall call) {
            CompletableFuture<NodeOutput> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }
    }

    private final TestEngine test = TestEngine.pooled(1);
    private final Later later = new Later();

    @AfterEach
    void stop() {
        test.close();
    }

    private CompletableFuture<TaskOutcome> start(Flows flow) {
        return test.start(flow.compile(TestNodes.registry(later)));
    }

    private static Flows oneNode() {
        return Flows.flow().start("start").end("end", "out").node("x", "later")
                .edge("start", "x", "success -> @").edge("x", "end", "success -> out");
    }

    @Test
    void many_async_steps_wait_at_once_without_a_node_thread_and_answer_later() {
        List<CompletableFuture<TaskOutcome>> outcomes = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) outcomes.add(start(oneNode()));

        assertThat(later.answers).hasSize(10);   // ten steps started on a pool of one thread
        assertThat(((ThreadPoolExecutor) test.nodes()).getActiveCount()).isZero();
        later.answers.get(3).complete(NodeOutput.success(Json.object().put("v", 3)));

        assertThat(outcomes.get(3).join().result()).isEqualTo(Json.read("{\"out\": {\"v\": 3}}"));
        assertThat(outcomes).filteredOn(CompletableFuture::isDone).hasSize(1);
    }

    @Test
    void a_failed_answer_fails_the_attempt_and_is_retried_per_policy() {
        CompletableFuture<TaskOutcome> outcome = start(oneNode().retry(2, 100, 1));
        later.answers.get(0).completeExceptionally(new NodeException("busy", "try later"));
        test.timer().advance(Duration.ofMillis(100));
        assertThat(later.answers).hasSize(2);
        later.answers.get(1).completeExceptionally(new NodeException("busy", "still busy"));

        TaskOutcome failed = outcome.join();
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.error().type()).isEqualTo("busy");
        assertThat(failed.error().message()).isEqualTo("still busy");
    }

    @Test
    void a_timeout_cancels_the_nodes_answer_and_a_late_answer_is_ignored() {
        CompletableFuture<TaskOutcome> outcome = start(oneNode().timeoutMs(500));

        test.timer().advance(Duration.ofMillis(500));

        assertThat(later.answers.get(0)).isCancelled();
        assertThat(outcome.join().error().type()).isEqualTo("timeout");
        later.answers.get(0).complete(NodeOutput.success(Json.object()));   // too late: changes nothing
        assertThat(outcome.join().state()).isEqualTo(TaskState.FAILED);
    }

    @Test
    void cancelling_the_task_cancels_the_nodes_answer() {
        CompletableFuture<TaskOutcome> outcome = start(oneNode());

        test.engine().cancel(test.nextTaskId() - 1);

        assertThat(outcome.join().state()).isEqualTo(TaskState.CANCELLED);
        assertThat(later.answers.get(0)).isCancelled();
        assertThat(test.timer().pending()).as("the step timeout is gone too").isZero();
    }
}
