package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.ManualClock;
import dev.weft.json.Json;
import dev.weft.queue.ClaimedTask;
import dev.weft.task.StepEntry;
import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import dev.weft.task.TaskOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What durable agent runs keep in the database, on every database Weft runs on: a step's journal entries (written
 * only under the task's lease, given back to the step when the task is claimed again, deleted with the task) and
 * conversation memory (per flow, a step's turn added once, capped oldest first).
 */
abstract class AgentStoreContract {

    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration WAIT = Duration.ofSeconds(10);

    final ManualClock clock = new ManualClock();
    Database database;
    JdbcFlowStore flows;
    long flowId;
    long otherFlowId;

    abstract Database openFresh();

    @BeforeEach
    void openDatabase() {
        database = openFresh();
        flows = new JdbcFlowStore(database, clock);
        var doc = Flows.flow().start("start").node("agent", "block").end("end", "out")
                .edge("start", "agent", "success -> @").edge("agent", "end", "success -> out").document();
        flowId = flows.create("agent", doc).id();
        flows.publish(flowId, doc);
        otherFlowId = flows.create("other", doc).id();
        flows.publish(otherFlowId, doc);
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    JdbcTaskStore store(String owner) {
        return new JdbcTaskStore(database, flows, clock, owner, LEASE);
    }

    long accept(JdbcTaskStore store, long flow) {
        return store.accept().accept(new NewTask(flow, 1, "start", "end", "end", Map.of(), null), StartMode.QUEUED,
                AcceptHook.NONE).task().id();
    }

    StepEntry entry(String nodeId, int seq, String key, String answer) {
        return new StepEntry(nodeId, seq, key, Json.object().put("answer", answer), clock.instant());
    }

    StepRecord done(String nodeId) {
        return new StepRecord(nodeId, "block", StepState.DONE, "success", Json.object(), Json.object(), null,
                List.of(), clock.instant(), clock.instant());
    }

    int count(String sql, Object... params) {
        return Rows.one(database.readers(), sql, r -> r.getInt(1), params).orElseThrow();
    }

    static void await(CompletionStage<?> write) throws Exception {
        write.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    static Throwable failure(CompletionStage<?> write) throws Exception {
        try {
            write.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void a_journal_entry_is_refused_once_the_lease_is_lost_and_the_new_owner_resumes_from_the_entries_before() throws Exception {
        JdbcTaskStore a = store("a");
        JdbcTaskStore b = store("b");
        long id = accept(a, flowId);
        a.queue().claim(1);
        await(a.journal().entryRecorded(id, entry("agent", 0, "model:0", "first")));
        await(a.journal().entryRecorded(id, entry("agent", 1, "tool:call_1", "42")));

        clock.advance(LEASE.plusMillis(1));
        assertThat(new Rescuer(database, clock).runOnce()).isEqualTo(1);
        List<ClaimedTask> claimed = b.queue().claim(1);

        assertThat(failure(a.journal().entryRecorded(id, entry("agent", 2, "model:1", "late"))))
                .isInstanceOf(LeaseLostException.class);
        assertThat(claimed.get(0).entries()).extracting(StepEntry::nodeId, StepEntry::seq, StepEntry::key,
                e -> e.value().path("answer").asText()).containsExactly(
                tuple("agent", 0, "model:0", "first"),
                tuple("agent", 1, "tool:call_1", "42"));
        await(b.journal().entryRecorded(id, entry("agent", 2, "model:1", "from b")));
        assertThat(b.reads().entries(id, "agent")).extracting(StepEntry::key)
                .containsExactly("model:0", "tool:call_1", "model:1");
        assertThat(count("SELECT COUNT(*) FROM step_journal WHERE value LIKE '%late%'")).isZero();
    }

    @Test
    void a_finished_task_takes_no_entry_and_a_first_claim_carries_none() throws Exception {
        JdbcTaskStore a = store("a");
        long id = accept(a, flowId);
        List<ClaimedTask> first = a.queue().claim(1);
        assertThat(first.get(0).entries()).isEmpty();
        await(a.journal().taskFinished(id, TaskOutcome.completed(Json.object()), clock.instant()));

        assertThat(failure(a.journal().entryRecorded(id, entry("agent", 0, "model:0", "after the end"))))
                .isInstanceOf(LeaseLostException.class);
        assertThat(count("SELECT COUNT(*) FROM step_journal")).isZero();
    }

    @Test
    void a_claim_again_carries_only_the_entries_of_unfinished_steps_in_their_order() throws Exception {
        JdbcTaskStore a = store("a");
        long id = accept(a, flowId);
        a.queue().claim(1);
        await(a.journal().entryRecorded(id, entry("start", 0, "s", "finished step's trace")));
        await(a.journal().stepFinished(id, done("start")));
        // written out of order: the claim reads them back by seq
        await(a.journal().entryRecorded(id, entry("agent", 1, "tool:b", "second")));
        await(a.journal().entryRecorded(id, entry("agent", 0, "model:a", "first")));
        assertThat(a.queue().release(List.of(id))).isEqualTo(1);

        ClaimedTask again = store("b").queue().claim(1).get(0);

        assertThat(again.recorded()).extracting(StepRecord::nodeId).containsExactly("start");
        assertThat(again.entries()).extracting(StepEntry::nodeId, StepEntry::key)
                .containsExactly(tuple("agent", "model:a"), tuple("agent", "tool:b"));
        assertThat(store("b").reads().entries(id, "start")).as("kept as the finished step's trace").hasSize(1);
    }

    @Test
    void entries_are_kept_after_the_task_ends_and_deleted_with_it_by_retention() throws Exception {
        JdbcTaskStore a = store("a");
        long id = accept(a, flowId);
        a.queue().claim(1);
        await(a.journal().entryRecorded(id, entry("agent", 0, "model:0", "kept")));
        await(a.journal().stepFinished(id, done("agent")));
        await(a.journal().taskFinished(id, TaskOutcome.completed(Json.object()), clock.instant()));
        assertThat(a.reads().entries(id, "agent")).extracting(e -> e.value().path("answer").asText())
                .containsExactly("kept");

        clock.advance(Duration.ofDays(2));
        assertThat(new Retention(database, clock, Duration.ofDays(1), 10).runOnce()).isEqualTo(1);

        assertThat(count("SELECT COUNT(*) FROM step_journal")).isZero();
        assertThat(a.reads().entries(id, "agent")).isEmpty();
    }

    // conversation memory

    List<JsonNode> turn(String... texts) {
        List<JsonNode> messages = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            messages.add(Json.object().put("role", i % 2 == 0 ? "user" : "assistant").put("content", texts[i]));
        }
        return messages;
    }

    static List<String> contents(List<JsonNode> messages) {
        return messages.stream().map(m -> m.path("content").asText()).toList();
    }

    @Test
    void a_session_continues_across_tasks_of_its_flow_and_is_not_seen_by_another_flow() {
        JdbcConversations memory = new JdbcConversations(database, clock);
        JdbcTaskStore a = store("a");
        long first = accept(a, flowId);
        long second = accept(a, flowId);
        long elsewhere = accept(a, otherFlowId);

        memory.append(first, "agent", "chat-1", turn("hi", "hello"), 0, 0);
        memory.append(second, "agent", "chat-1", turn("how are you", "fine"), 0, 0);

        assertThat(contents(memory.load(second, "chat-1"))).containsExactly("hi", "hello", "how are you", "fine");
        assertThat(memory.load(elsewhere, "chat-1")).as("another flow's session of the same name").isEmpty();
        assertThat(memory.load(first, "chat-2")).isEmpty();
        assertThat(memory.sessions(flowId)).extracting(JdbcConversations.Session::sessionId,
                JdbcConversations.Session::messages).containsExactly(tuple("chat-1", 4));
        assertThat(memory.sessions(otherFlowId)).isEmpty();
    }

    @Test
    void a_step_that_runs_again_replaces_its_turn_instead_of_adding_it_twice() {
        JdbcConversations memory = new JdbcConversations(database, clock);
        JdbcTaskStore a = store("a");
        long before = accept(a, flowId);
        long id = accept(a, flowId);
        memory.append(before, "agent", "s", turn("earlier", "reply"), 0, 0);

        memory.append(id, "agent", "s", turn("question", "partial answer"), 0, 0);
        memory.append(id, "agent", "s", turn("question", "answer"), 0, 0);

        assertThat(contents(memory.load(id, "s"))).containsExactly("earlier", "reply", "question", "answer");
        assertThat(memory.messages(flowId, "s")).extracting(JdbcConversations.Message::taskId)
                .containsExactly(before, before, id, id);
    }

    @Test
    void a_session_is_capped_by_messages_and_by_tokens_dropping_the_oldest() {
        JdbcConversations memory = new JdbcConversations(database, clock);
        JdbcTaskStore a = store("a");
        for (int i = 0; i < 3; i++) {
            memory.append(accept(a, flowId), "agent", "by-count", turn("q" + i, "a" + i), 5, 0);
        }
        assertThat(contents(memory.load(accept(a, flowId), "by-count"))).containsExactly("a0", "q1", "a1", "q2", "a2");

        String big = "x".repeat(400);   // about 100 tokens a message, with its JSON
        long id = accept(a, flowId);
        memory.append(id, "agent", "by-tokens", turn(big + "1", big + "2", big + "3"), 0, 250);
        List<JdbcConversations.Message> kept = memory.messages(flowId, "by-tokens");
        assertThat(kept).extracting(m -> m.message().path("content").asText())
                .containsExactly(big + "2", big + "3");
        assertThat(kept.stream().mapToInt(JdbcConversations.Message::tokens).sum()).isLessThanOrEqualTo(250);

        memory.append(accept(a, flowId), "agent", "huge", turn("y".repeat(4000)), 0, 10);
        assertThat(memory.messages(flowId, "huge")).as("the newest message is kept even when over the cap").hasSize(1);
    }

    @Test
    void deleting_a_session_forgets_only_it() {
        JdbcConversations memory = new JdbcConversations(database, clock);
        JdbcTaskStore a = store("a");
        long id = accept(a, flowId);
        memory.append(id, "agent", "gone", turn("a", "b"), 0, 0);
        memory.append(id, "other-agent", "kept", turn("c"), 0, 0);
        memory.append(accept(a, otherFlowId), "agent", "gone", turn("d"), 0, 0);

        assertThat(memory.delete(flowId, "gone")).isEqualTo(2);

        assertThat(memory.load(id, "gone")).isEmpty();
        assertThat(contents(memory.load(id, "kept"))).containsExactly("c");
        assertThat(memory.messages(otherFlowId, "gone")).hasSize(1);
        assertThat(memory.delete(flowId, "gone")).isZero();
    }
}
