package dev.weft.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.weft.engine.testing.DirectExecutorService;
import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.RecordingJournal;
import dev.weft.engine.testing.TestEngine;
import dev.weft.engine.testing.TestNode;
import dev.weft.engine.testing.TestNodes;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.task.InMemoryJournal;
import dev.weft.task.StepEntry;
import dev.weft.task.StepRecord;
import dev.weft.task.TaskJournal;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A step's journal: what a node records survives its retries in the process and, given back with the claim, a
 * crash; a step that records nothing writes nothing.
 */
class EngineJournalTest {

    /**
     * Type {@code loop}: five "calls" made through {@code journal.once}, as an agent makes its model and tool calls;
     * {@link #work} lists the calls really made. It fails once the work count reaches {@code dieAt} (a crash or a
     * failed attempt in the middle of the loop).
     */
    static final class Loop extends TestNode {
        final List<Integer> work = new CopyOnWriteArrayList<>();
        final List<Map<String, JsonNode>> seenAtStart = new CopyOnWriteArrayList<>();
        final AtomicInteger dieAt = new AtomicInteger(-1);

        Loop() {
            super("loop");
        }

        @Override
        protected NodeOutput answer(NodeCall call) {
            seenAtStart.add(new LinkedHashMap<>(call.journal().recorded()));
            int sum = 0;
            for (int i = 0; i < 5; i++) {
                int n = i;
                JsonNode value = call.journal().once("call:" + n, () -> {
                    if (work.size() == dieAt.get()) throw new NodeException("crash", "died before call " + n, true);
                    work.add(n);
                    return CompletableFuture.completedFuture(IntNode.valueOf(n * 10));
                }).toCompletableFuture().join();
                sum += value.asInt();
            }
            return NodeOutput.success(Json.object().put("sum", sum));
        }
    }

    private static Flows flow() {
        return Flows.flow().start("start").end("end", "out").node("x", "loop")
                .edge("start", "x", "success -> @").edge("x", "end", "success -> out");
    }

    @Test
    void a_resumed_task_gives_the_step_the_entries_recorded_before_the_crash_and_no_call_is_made_twice() {
        Loop loop = new Loop();
        loop.dieAt.set(2);
        Graph graph = flow().compile(TestNodes.registry(loop));
        InMemoryJournal first = new InMemoryJournal();
        long taskId = 7;
        try (TestEngine before = new TestEngine(first, new DirectExecutorService(), Limits.DEFAULT)) {
            before.start(new TaskRequest(taskId, graph, Map.of(), List.of()));
        }
        assertThat(loop.work).containsExactly(0, 1);
        List<StepEntry> kept = first.entries(taskId);
        assertThat(kept).extracting(StepEntry::nodeId, StepEntry::seq, StepEntry::key).containsExactly(
                tuple("x", 0, "call:0"),
                tuple("x", 1, "call:1"));

        // a new process claims the task: its steps and the entries of unfinished ones come with the claim
        loop.dieAt.set(-1);
        InMemoryJournal second = new InMemoryJournal();
        TaskOutcome outcome;
        try (TestEngine after = new TestEngine(second, new DirectExecutorService(), Limits.DEFAULT)) {
            outcome = after.start(new TaskRequest(taskId, graph, Map.of(), first.steps(taskId).stream()
                    .filter(s -> !s.nodeId().equals("x")).toList(), kept)).join();
        }

        assertThat(outcome.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(outcome.result()).isEqualTo(Json.read("{\"out\": {\"sum\": 100}}"));
        assertThat(loop.work).as("each call made once across both processes").containsExactly(0, 1, 2, 3, 4);
        assertThat(loop.seenAtStart.get(1).keySet()).containsExactly("call:0", "call:1");
        assertThat(second.entries(taskId)).extracting(StepEntry::seq).containsExactly(2, 3, 4);
    }

    @Test
    void a_retried_step_keeps_what_its_failed_attempt_recorded() {
        Loop loop = new Loop();
        loop.dieAt.set(3);
        RecordingJournal journal = new RecordingJournal();
        try (TestEngine test = new TestEngine(journal, new DirectExecutorService(), Limits.DEFAULT)) {
            CompletableFuture<TaskOutcome> outcome = test.start(flow().retry(2, 100, 1)
                    .compile(TestNodes.registry(loop)));
            loop.dieAt.set(-1);
            test.timer().advance(Duration.ofMillis(100));

            assertThat(outcome.join().result()).isEqualTo(Json.read("{\"out\": {\"sum\": 100}}"));
        }
        assertThat(loop.calls()).extracting(NodeCall::attempt).containsExactly(1, 2);
        assertThat(loop.seenAtStart.get(1).keySet()).containsExactly("call:0", "call:1", "call:2");
        assertThat(loop.work).containsExactly(0, 1, 2, 3, 4);
        assertThat(journal.entries()).extracting(StepEntry::key)
                .containsExactly("call:0", "call:1", "call:2", "call:3", "call:4");
    }

    @Test
    void a_flow_whose_nodes_record_nothing_writes_no_journal_entry() {
        RecordingJournal journal = new RecordingJournal();
        try (TestEngine test = new TestEngine(journal, new DirectExecutorService(), Limits.DEFAULT)) {
            TaskOutcome outcome = test.start(Flows.chain("inc", 5).compile(TestNodes.registry(TestNodes.inc())))
                    .join();
            assertThat(outcome.state()).isEqualTo(TaskState.COMPLETED);
        }
        assertThat(journal.steps()).hasSize(7);
        assertThat(journal.entries()).isEmpty();
    }

    @Test
    void an_entry_the_store_refuses_fails_the_attempt_and_is_not_seen_as_recorded() {
        Loop loop = new Loop();
        InMemoryJournal kept = new InMemoryJournal();
        TaskJournal refusing = new TaskJournal() {
            @Override
            public CompletionStage<Void> stepFinished(long taskId, StepRecord step) {
                return kept.stepFinished(taskId, step);
            }

            @Override
            public CompletionStage<Void> taskFinished(long taskId, TaskOutcome outcome, Instant at) {
                return kept.taskFinished(taskId, outcome, at);
            }

            @Override
            public CompletionStage<Void> entryRecorded(long taskId, StepEntry entry) {
                return CompletableFuture.failedFuture(new IllegalStateException("lease lost"));
            }
        };
        try (TestEngine test = new TestEngine(refusing, new DirectExecutorService(), Limits.DEFAULT)) {
            TaskOutcome outcome = test.start(flow().compile(TestNodes.registry(loop))).join();
            assertThat(outcome.state()).isEqualTo(TaskState.FAILED);
            assertThat(outcome.error().message()).contains("lease lost");
        }
        assertThat(loop.work).as("the loop stops at the first call it could not record").containsExactly(0);
    }
}
