package dev.weft.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.CompiledFlows;
import dev.weft.engine.Limits;
import dev.weft.engine.testing.Blocking;
import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.ManualClock;
import dev.weft.engine.testing.TestEngine;
import dev.weft.engine.testing.TestNodes;
import dev.weft.json.Json;
import dev.weft.registry.NodeRegistry;
import dev.weft.queue.ClaimedTask;
import dev.weft.queue.Worker;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import dev.weft.task.TaskJournal;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The storage contract: every database Weft runs on passes these same tests (claims, leases, rescue, fencing,
 * guarded state transitions, retention, release). Subclasses only say how to open a database.
 */
abstract class TaskStoreContract {

    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration WAIT = Duration.ofSeconds(10);

    final ManualClock clock = new ManualClock();
    final Blocking block = new Blocking();
    final NodeRegistry registry = TestNodes.registry(block);
    final List<Database> others = new ArrayList<>();
    Database database;
    long flowId;

    /** A fresh, empty, migrated database for one test. */
    abstract Database openFresh();

    /**
     * The same database as another Weft process would open it. SQLite has one owning process: its claimers share
     * the one handle (and its one writer).
     */
    abstract Database openAnother();

    /** The raw state of a task row, as the queue sees it. */
    record Row(String state, String leaseOwner, Long leaseUntil, int claims) {}

    @BeforeEach
    void openDatabase() {
        database = openFresh();
        JdbcFlowStore flows = new JdbcFlowStore(database, clock);
        var doc = Flows.flow().start("start").node("work", "block").end("end", "out")
                .edge("start", "work", "success -> @").edge("work", "end", "success -> out").document();
        flowId = flows.create("contract", doc).id();
        flows.publish(flowId, doc);
    }

    @AfterEach
    void closeDatabases() {
        block.release();
        others.forEach(Database::close);
        database.close();
    }

    JdbcTaskStore store(String owner) {
        return store(database, owner);
    }

    JdbcTaskStore store(Database db, String owner) {
        return new JdbcTaskStore(db, new JdbcFlowStore(db, clock), clock, owner, LEASE);
    }

    long accept(JdbcTaskStore store) {
        return store.accept().accept(new NewTask(flowId, 1, "start", "end", "end", Map.of(), null), StartMode.QUEUED,
                AcceptHook.NONE).task().id();
    }

    @Test
    void an_accept_for_the_latest_version_is_refused_once_a_newer_one_is_published_and_for_a_deleted_flow() {
        JdbcTaskStore store = store("a");
        Database another = openAnother();
        JdbcFlowStore here = new JdbcFlowStore(database, clock);
        JdbcFlowStore there = new JdbcFlowStore(another, clock);
        assertThat(here.latestVersionGuess(flowId)).contains(Optional.of(1));
        int before = count("SELECT COUNT(*) FROM tasks");

        // the guess is checked by the insert itself: right, the task is accepted in every start mode
        for (StartMode mode : List.of(StartMode.QUEUED, new StartMode.Claimed(List.of()), new StartMode.Finished(
                List.of(), TaskOutcome.completed(Json.object()), clock.instant(), clock.instant()))) {
            assertThat(store.accept().accept(latest(1), mode, AcceptHook.NONE).created()).isTrue();
        }
        there.publish(flowId, there.get(flowId).orElseThrow().draft());   // version 2, from "another process"
        for (StartMode mode : List.of(StartMode.QUEUED, new StartMode.Claimed(List.of()), new StartMode.Finished(
                List.of(), TaskOutcome.completed(Json.object()), clock.instant(), clock.instant()))) {
            assertThatThrownBy(() -> store.accept().accept(latest(1), mode, AcceptHook.NONE))
                    .isInstanceOf(FlowChangedException.class).hasMessageContaining("flow " + flowId);
        }
        assertThat(count("SELECT COUNT(*) FROM tasks")).as("nothing written by a refused accept").isEqualTo(before + 3);
        // a pinned version is not the latest: version 1 still runs
        assertThat(store.accept().accept(new NewTask(flowId, 1, "start", "end", "end", Map.of(), null),
                StartMode.QUEUED, AcceptHook.NONE).created()).isTrue();
        here.forgetLatest();
        assertThat(here.latestVersionGuess(flowId)).contains(Optional.of(2));
        assertThat(store.accept().accept(latest(2), StartMode.QUEUED, AcceptHook.NONE).created()).isTrue();

        there.delete(flowId);
        assertThatThrownBy(() -> store.accept().accept(new NewTask(flowId, 1, "start", "end", "end", Map.of(), null),
                StartMode.QUEUED, AcceptHook.NONE)).isInstanceOf(FlowChangedException.class);
        assertThat(count("SELECT COUNT(*) FROM tasks")).isEqualTo(before + 5);
    }

    private NewTask latest(int version) {
        return new NewTask(flowId, version, "start", "end", "end", Map.of(), null, null, 0, true);
    }

    @Test
    void a_keyed_child_is_made_once_per_parent_and_key_and_asking_again_answers_it() {
        JdbcTaskStore store = store("a");
        long parent = accept(store);
        long other = accept(store);
        NewTask child = new NewTask(flowId, 1, "start", "end", "end", Map.of(), null, parent, 1);

        Accepted first = store.accept().accept(child, StartMode.QUEUED, new ChildKey(parent, "7:agent:1:0"));
        Accepted again = store.accept().accept(child, new StartMode.Claimed(List.of()), new ChildKey(parent, "7:agent:1:0"));
        Accepted otherKey = store.accept().accept(child, StartMode.QUEUED, new ChildKey(parent, "7:agent:1:1"));
        Accepted otherParent = store.accept().accept(new NewTask(flowId, 1, "start", "end", "end", Map.of(), null,
                other, 1), StartMode.QUEUED, new ChildKey(other, "7:agent:1:0"));
        Accepted unkeyed = store.accept().accept(child, StartMode.QUEUED, AcceptHook.NONE);

        assertThat(first.created()).isTrue();
        assertThat(again.created()).as("the same call asks again: the child it made").isFalse();
        assertThat(again.task().id()).isEqualTo(first.task().id());
        assertThat(again.task().state()).as("answered as stored, not claimed again").isEqualTo(TaskState.QUEUED);
        assertThat(List.of(otherKey, otherParent, unkeyed)).allMatch(Accepted::created);
        assertThat(count("SELECT COUNT(*) FROM tasks WHERE parent_task_id = ?", parent)).isEqualTo(3);
    }

    Row row(long id) {
        return Rows.one(database.readers(), "SELECT state, lease_owner, lease_until, claims FROM tasks WHERE id = ?",
                r -> new Row(r.getString(1), r.getString(2), Rows.longOrNull(r, "lease_until"), r.getInt(4)), id)
                .orElseThrow();
    }

    int count(String sql, Object... params) {
        return Rows.one(database.readers(), sql, r -> r.getInt(1), params).orElseThrow();
    }

    StepRecord step(String nodeId, String answer) {
        return new StepRecord(nodeId, "block", StepState.DONE, "success", Json.object(),
                Json.object().put("answer", answer), null, List.of(), clock.instant(), clock.instant());
    }

    static void await(java.util.concurrent.CompletionStage<?> write) throws Exception {
        write.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    static Throwable failure(java.util.concurrent.CompletionStage<?> write) {
        try {
            write.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void a_child_task_keeps_its_parent_and_depth_whether_queued_or_claimed() {
        JdbcTaskStore a = store("a");
        long parent = accept(a);

        TaskRecord claimed = a.accept().accept(new NewTask(flowId, 1, "start", "end", "end", Map.of(), null, parent, 1),
                StartMode.CLAIMED,
                AcceptHook.NONE).task();
        TaskRecord queued = a.accept().accept(new NewTask(flowId, 1, "start", "end", "end", Map.of(), null, claimed.id(), 2),
                StartMode.QUEUED, AcceptHook.NONE).task();

        assertThat(claimed.parentTaskId()).isEqualTo(parent);
        assertThat(a.reads().get(claimed.id()).orElseThrow()).satisfies(t -> {
            assertThat(t.parentTaskId()).isEqualTo(parent);
            assertThat(t.depth()).isEqualTo(1);
            assertThat(t.state()).isEqualTo(TaskState.RUNNING);
        });
        assertThat(a.reads().get(queued.id()).orElseThrow()).satisfies(t -> {
            assertThat(t.parentTaskId()).isEqualTo(claimed.id());
            assertThat(t.depth()).isEqualTo(2);
        });
        assertThat(a.reads().get(parent).orElseThrow()).satisfies(t -> {
            assertThat(t.parentTaskId()).isNull();
            assertThat(t.depth()).isZero();
        });
    }

    @Test
    void claim_takes_at_most_the_limit_oldest_first_and_marks_them_running() {
        JdbcTaskStore a = store("a");
        long first = accept(a);
        long second = accept(a);
        long third = accept(a);

        List<ClaimedTask> claimed = a.queue().claim(2);

        assertThat(claimed).extracting(ClaimedTask::taskId).containsExactlyInAnyOrder(first, second);
        assertThat(row(first)).isEqualTo(new Row("running", "a", clock.millis() + LEASE.toMillis(), 1));
        assertThat(row(third).state()).isEqualTo("queued");
        assertThat(a.reads().get(first).orElseThrow().startedAt()).isEqualTo(clock.instant());
        assertThat(a.queue().claim(5)).extracting(ClaimedTask::taskId).containsExactly(third);
        assertThat(a.queue().claim(5)).isEmpty();
    }

    @Test
    void concurrent_claimers_never_get_the_same_task() throws Exception {
        int total = 300;
        int claimers = 4;
        JdbcTaskStore api = store("api");
        for (int i = 0; i < total; i++) accept(api);
        List<JdbcTaskStore> stores = new ArrayList<>();
        for (int i = 0; i < claimers; i++) stores.add(store(openAnother(), "worker-" + i));
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        List<Long> all = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (JdbcTaskStore store : stores) {
                results.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (List<ClaimedTask> got; !(got = store.queue().claim(7)).isEmpty(); ) {
                        got.forEach(t -> mine.add(t.taskId()));
                    }
                    return mine;
                }));
            }
            for (int i = 0; i < claimers; i++) {
                List<Long> mine = results.get(i).get(60, TimeUnit.SECONDS);
                all.addAll(mine);
                for (long id : mine) assertThat(row(id).leaseOwner()).isEqualTo("worker-" + i);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(all).hasSize(total).doesNotHaveDuplicates();
        assertThat(count("SELECT COUNT(*) FROM tasks WHERE state = 'queued'")).isZero();
    }

    @Test
    void expired_lease_is_rescued_and_the_next_claim_gets_the_recorded_steps() throws Exception {
        JdbcTaskStore a = store("a");
        JdbcTaskStore b = store("b");
        Rescuer rescuer = new Rescuer(database, clock);
        long id = accept(a);
        a.queue().claim(1);
        await(a.journal().stepFinished(id, step("start", "from a")));

        clock.advance(LEASE);
        assertThat(rescuer.runOnce()).as("a lease that ends now has not run out yet").isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(rescuer.runOnce()).isEqualTo(1);

        assertThat(row(id)).isEqualTo(new Row("queued", null, null, 1));
        List<ClaimedTask> claimed = b.queue().claim(1);
        assertThat(claimed).hasSize(1);
        assertThat(claimed.get(0).recorded()).extracting(StepRecord::nodeId).containsExactly("start");
        assertThat(claimed.get(0).recorded().get(0).outputs().path("answer").asText()).isEqualTo("from a");
        assertThat(row(id)).isEqualTo(new Row("running", "b", clock.millis() + LEASE.toMillis(), 2));
        assertThat(rescuer.runOnce()).isZero();
    }

    @Test
    void a_steps_rendered_settings_are_kept_by_every_write_and_read() throws Exception {
        JdbcTaskStore a = store("a");
        long id = accept(a);
        a.queue().claim(1);
        ObjectNode rendered = Json.object().put("url", "https://api.example.com/items?q=ada").put("method", "GET");
        StepRecord called = new StepRecord("fetch", "http", StepState.DONE, "success", Json.object(),
                Json.object().put("status", 200), null, List.of(), clock.instant(), clock.instant(), rendered);
        await(a.journal().stepFinished(id, called));
        await(a.journal().stepFinished(id, step("start", "without")));

        assertThat(a.reads().steps(id)).filteredOn(s -> s.nodeId().equals("fetch")).singleElement()
                .satisfies(s -> assertThat(s.renderedSettings()).isEqualTo(rendered));
        assertThat(a.reads().steps(id)).filteredOn(s -> s.nodeId().equals("start")).singleElement()
                .satisfies(s -> assertThat(s.renderedSettings()).isNull());

        clock.advance(LEASE.plusMillis(1));
        new Rescuer(database, clock).runOnce();
        List<ClaimedTask> claimed = store("b").queue().claim(1);
        assertThat(claimed.get(0).recorded()).filteredOn(s -> s.nodeId().equals("fetch")).singleElement()
                .satisfies(s -> assertThat(s.renderedSettings()).isEqualTo(rendered));

        Accepted copied = a.accept().accept(new NewTask(flowId, 1, "start", "end", "end",
                Map.of("start", Json.read("{\"data\": {}}")), "key-1"), new StartMode.Finished(List.of(called),
                TaskOutcome.completed(Json.object()), clock.instant(), clock.instant()), new AcceptHook() { });
        assertThat(a.reads().steps(copied.task().id()).get(0).renderedSettings()).isEqualTo(rendered);
    }

    @Test
    void renewed_lease_is_not_rescued() {
        JdbcTaskStore a = store("a");
        Rescuer rescuer = new Rescuer(database, clock);
        long id = accept(a);
        long other = accept(a);
        a.queue().claim(2);

        clock.advance(LEASE.minusSeconds(1));
        assertThat(a.queue().renew(List.of(id))).containsExactly(id);
        clock.advance(Duration.ofSeconds(2));

        assertThat(rescuer.runOnce()).isEqualTo(1);
        assertThat(row(id).state()).isEqualTo("running");
        assertThat(row(id).leaseUntil()).isEqualTo(clock.millis() - 2_000 + LEASE.toMillis());
        assertThat(row(other).state()).isEqualTo("queued");
        assertThat(a.queue().renew(List.of(id, other))).as("a lost lease is not renewed").containsExactly(id);
    }

    @Test
    void a_process_that_lost_its_lease_cannot_overwrite_the_new_owners_steps_or_outcome() throws Exception {
        JdbcTaskStore a = store("a");
        JdbcTaskStore b = store(openAnother(), "b");
        long id = accept(a);
        a.queue().claim(1);
        clock.advance(LEASE.plusSeconds(1));
        new Rescuer(database, clock).runOnce();
        b.queue().claim(1);
        await(b.journal().stepFinished(id, step("work", "from b")));

        assertThat(failure(a.journal().stepFinished(id, step("work", "from a")))).isInstanceOf(LeaseLostException.class);
        assertThat(failure(a.journal().taskFinished(id, TaskOutcome.completed(Json.object().put("by", "a")), clock.instant())))
                .isInstanceOf(LeaseLostException.class);
        assertThat(a.queue().renew(List.of(id))).isEmpty();
        assertThat(a.queue().release(List.of(id))).isZero();

        assertThat(b.reads().steps(id)).singleElement().satisfies(s ->
                assertThat(s.outputs().path("answer").asText()).isEqualTo("from b"));
        assertThat(row(id)).isEqualTo(new Row("running", "b", clock.millis() + LEASE.toMillis(), 2));
        await(b.journal().taskFinished(id, TaskOutcome.completed(Json.object().put("by", "b")), clock.instant()));
        assertThat(b.reads().get(id).orElseThrow().result().path("by").asText()).isEqualTo("b");
    }

    @Test
    void a_tasks_last_steps_commit_with_its_outcome_or_not_at_all() throws Exception {
        JdbcTaskStore a = store("a");
        long id = accept(a);
        a.queue().claim(1);
        await(a.journal().taskFinished(id, List.of(step("work", "last"), step("end", "end")),
                TaskOutcome.completed(Json.object().put("n", 1)), clock.instant()));
        assertThat(a.reads().steps(id)).extracting(StepRecord::nodeId).containsExactlyInAnyOrder("work", "end");
        assertThat(row(id).state()).isEqualTo("completed");

        // a step the database refuses (no type) takes the outcome and the other steps with it
        long refused = accept(a);
        a.queue().claim(1);
        StepRecord broken = new StepRecord("end", null, StepState.DONE, "success", Json.object(), Json.object(), null,
                List.of(), clock.instant(), clock.instant());
        assertThat(failure(a.journal().taskFinished(refused, List.of(step("work", "last"), broken),
                TaskOutcome.completed(Json.object()), clock.instant()))).isNotNull();
        assertThat(a.reads().steps(refused)).isEmpty();
        assertThat(row(refused).state()).isEqualTo("running");

        // a process that lost the task's lease records neither its last steps nor its outcome
        clock.advance(LEASE.plusSeconds(1));
        new Rescuer(database, clock).runOnce();
        assertThat(failure(a.journal().taskFinished(refused, List.of(step("work", "late")),
                TaskOutcome.completed(Json.object()), clock.instant()))).isInstanceOf(LeaseLostException.class);
        assertThat(a.reads().steps(refused)).isEmpty();
        assertThat(row(refused).state()).isEqualTo("queued");
    }

    @Test
    void a_task_that_ran_in_memory_is_stored_finished_with_its_steps_in_one_go() throws Exception {
        JdbcTaskStore a = store("a");
        long queuedBefore = accept(a);
        java.time.Instant started = clock.instant();
        StepRecord first = step("start", "one");
        StepRecord second = step("work", "two");
        java.time.Instant finished = started.plusMillis(3);
        long[] hooked = {0};
        AcceptHook hook = new AcceptHook() {
            @Override
            public void inserted(Tx tx, long taskId) {
                hooked[0] = taskId;
            }
        };

        Accepted accepted = a.accept().accept(new NewTask(flowId, 1, "start", "end", "end",
                Map.of("start", Json.read("{\"data\": {}}")), "key-1"), new StartMode.Finished(List.of(first, second),
                TaskOutcome.completed(Json.object().put("out", "two")), started, finished), hook);

        long id = accepted.task().id();
        assertThat(accepted.created()).isTrue();
        assertThat(hooked[0]).as("the hook writes in the same transaction").isEqualTo(id);
        assertThat(accepted.task()).isEqualTo(a.reads().get(id).orElseThrow());
        assertThat(a.reads().get(id).orElseThrow()).satisfies(t -> {
            assertThat(t.state()).isEqualTo(TaskState.COMPLETED);
            assertThat(t.result().path("out").asText()).isEqualTo("two");
            assertThat(t.startedAt()).isEqualTo(started);
            assertThat(t.finishedAt()).isEqualTo(finished);
            assertThat(t.keyId()).isEqualTo("key-1");
        });
        assertThat(row(id)).isEqualTo(new Row("completed", null, null, 1));
        assertThat(a.reads().steps(id)).extracting(StepRecord::nodeId).containsExactly("start", "work");
        assertThat(a.reads().steps(id).get(1).outputs().path("answer").asText()).isEqualTo("two");
        assertThat(a.queue().claim(10)).as("never queued").extracting(dev.weft.queue.ClaimedTask::taskId).containsExactly(queuedBefore);
        assertThat(failure(a.journal().taskFinished(id, TaskOutcome.cancelled(), clock.instant())))
                .as("and finished for good").isInstanceOf(LeaseLostException.class);
    }

    @Test
    void a_run_with_more_steps_than_one_insert_takes_stores_them_all() {
        JdbcTaskStore a = store("a");
        List<StepRecord> steps = new ArrayList<>();
        for (int i = 0; i < JdbcTaskAccept.STEP_ROWS_PER_INSERT * 2 + 3; i++) steps.add(step("n" + i, "a" + i));

        long id = a.accept().accept(new NewTask(flowId, 1, "start", "end", "end", Map.of(), null),
                new StartMode.Finished(steps, TaskOutcome.completed(Json.object()), clock.instant(), clock.instant()),
                AcceptHook.NONE).task().id();

        assertThat(a.reads().steps(id)).hasSize(steps.size());
        assertThat(a.reads().steps(id)).extracting(s -> s.outputs().path("answer").asText())
                .contains("a0", "a64", "a130");
    }

    @Test
    void a_hook_naming_an_earlier_task_stores_nothing_of_a_run() {
        JdbcTaskStore a = store("a");
        long earlier = accept(a);
        AcceptHook replay = new AcceptHook() {
            @Override
            public Long existing(Tx tx) {
                return earlier;
            }
        };

        Accepted accepted = a.accept().accept(new NewTask(flowId, 1, "start", "end", "end", Map.of(), null),
                new StartMode.Finished(List.of(step("start", "x")), TaskOutcome.completed(Json.object()),
                        clock.instant(), clock.instant()), replay);

        assertThat(accepted.created()).isFalse();
        assertThat(accepted.task().id()).isEqualTo(earlier);
        assertThat(count("SELECT COUNT(*) FROM tasks")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM steps")).isZero();
    }

    @Test
    void steps_after_queued_writes_include_a_write_queued_just_before() throws Exception {
        JdbcTaskStore a = store("a");
        long id = accept(a);
        a.queue().claim(1);
        a.journal().stepFinished(id, step("work", "queued"));   // not awaited: the read waits for it

        assertThat(a.reads().stepsAfterQueuedWrites(id)).extracting(StepRecord::nodeId).containsExactly("work");
    }

    @Test
    void a_finished_task_never_goes_back() throws Exception {
        JdbcTaskStore a = store("a");
        long id = accept(a);
        a.queue().claim(1);
        await(a.journal().taskFinished(id, TaskOutcome.completed(Json.object().put("n", 1)), clock.instant()));

        assertThat(failure(a.journal().taskFinished(id, TaskOutcome.cancelled(), clock.instant())))
                .isInstanceOf(LeaseLostException.class);
        assertThat(failure(a.journal().stepFinished(id, step("work", "late")))).isInstanceOf(LeaseLostException.class);
        clock.advance(LEASE.multipliedBy(10));
        assertThat(new Rescuer(database, clock).runOnce()).isZero();
        assertThat(a.queue().release(List.of(id))).isZero();
        assertThat(a.queue().renew(List.of(id))).isEmpty();
        assertThat(a.queue().claim(10)).isEmpty();

        TaskRecord task = a.reads().get(id).orElseThrow();
        assertThat(task.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(task.result().path("n").asInt()).isEqualTo(1);
        assertThat(row(id)).isEqualTo(new Row("completed", null, null, 1));
        assertThatThrownBy(() -> database.writer().run(tx -> Rows.update(tx,
                "UPDATE tasks SET state = 'paused' WHERE id = ?", id)))
                .as("the database's CHECK knows the states").isInstanceOf(StoreException.class);
    }

    @Test
    void released_tasks_go_back_to_the_queue_at_once_with_their_steps() throws Exception {
        JdbcTaskStore a = store("a");
        JdbcTaskStore b = store("b");
        long kept = accept(a);
        long given = accept(a);
        a.queue().claim(2);
        await(a.journal().stepFinished(given, step("start", "from a")));

        assertThat(a.queue().release(List.of(given))).isEqualTo(1);

        assertThat(row(given)).isEqualTo(new Row("queued", null, null, 1));
        assertThat(row(kept).state()).isEqualTo("running");
        ClaimedTask taken = b.queue().claim(5).get(0);
        assertThat(taken.taskId()).isEqualTo(given);
        assertThat(taken.recorded()).extracting(StepRecord::nodeId).containsExactly("start");
    }

    @Test
    void retention_deletes_old_finished_tasks_and_their_steps_in_small_batches() throws Exception {
        JdbcTaskStore a = store("a");
        List<Long> old = new ArrayList<>();
        for (int i = 0; i < 5; i++) old.add(accept(a));
        long oldRunning = accept(a);
        a.queue().claim(6);
        long oldQueued = accept(a);
        for (long id : old) {
            await(a.journal().stepFinished(id, step("work", "x")));
            await(a.journal().taskFinished(id, TaskOutcome.completed(Json.object()), clock.instant()));
        }
        clock.advance(Duration.ofDays(2));
        long recent = a.accept().accept(new NewTask(flowId, 1, "start", "end", "end", Map.of(), null),
                StartMode.CLAIMED, AcceptHook.NONE).task().id();
        await(a.journal().taskFinished(recent, TaskOutcome.completed(Json.object()), clock.instant()));
        clock.advance(Duration.ofHours(1));
        a.queue().renew(List.of(oldRunning));

        Retention retention = new Retention(database, clock, Duration.ofDays(1), 2);
        assertThat(retention.runOnce()).isEqualTo(5);

        for (long id : old) assertThat(a.reads().get(id)).isEmpty();
        assertThat(count("SELECT COUNT(*) FROM steps")).isZero();
        assertThat(a.reads().get(recent)).isPresent();
        assertThat(row(oldRunning).state()).isEqualTo("running");
        assertThat(row(oldQueued).state()).isEqualTo("queued");
        assertThat(retention.runOnce()).isZero();
    }

    @Test
    void worker_heartbeat_renews_its_leases_and_shutdown_gives_unfinished_tasks_back() throws Exception {
        JdbcTaskStore a = store("a");
        try (TestEngine engine = new TestEngine(a.journal(), Executors.newFixedThreadPool(2), Limits.DEFAULT)) {
            Worker worker = new Worker(a.queue(), engine.engine(), new CompiledFlows(a::flowVersion, registry),
                    a.journal(), clock, 4, Worker.POLL_DEFAULT);
            long id = accept(a);
            assertThat(worker.runOnce()).isEqualTo(1);
            assertThat(block.awaitStarted(1)).isTrue();

            clock.advance(Duration.ofSeconds(20));
            assertThat(worker.renewLeases()).isEqualTo(1);
            assertThat(row(id).leaseUntil()).isEqualTo(clock.millis() + LEASE.toMillis());

            assertThat(worker.shutdown(Duration.ZERO)).isEqualTo(1);
            assertThat(row(id)).isEqualTo(new Row("queued", null, null, 1));

            block.release();
            assertThat(worker.shutdown(WAIT)).as("the old run ends: its writes are refused").isZero();
            assertThat(worker.runningTasks()).isEmpty();
            assertThat(a.reads().steps(id)).extracting(StepRecord::nodeId).doesNotContain("work");
            assertThat(row(id)).isEqualTo(new Row("queued", null, null, 1));
        }
    }

    @Test
    void worker_shutdown_lets_a_task_finish_within_the_grace() throws Exception {
        JdbcTaskStore a = store("a");
        try (TestEngine engine = new TestEngine(a.journal(), Executors.newFixedThreadPool(2), Limits.DEFAULT)) {
            Worker worker = new Worker(a.queue(), engine.engine(), new CompiledFlows(a::flowVersion, registry),
                    a.journal(), clock, 4, Worker.POLL_DEFAULT);
            long id = accept(a);
            worker.runOnce();
            assertThat(block.awaitStarted(1)).isTrue();

            CompletableFuture<Integer> stopping = CompletableFuture.supplyAsync(() -> worker.shutdown(WAIT));
            block.release();

            assertThat(stopping.get(WAIT.toSeconds() + 5, TimeUnit.SECONDS)).isZero();
            assertThat(a.reads().get(id).orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
            long next = accept(a);
            assertThat(worker.runOnce()).as("a stopped worker claims nothing").isZero();
            assertThat(row(next).state()).isEqualTo("queued");
        }
    }

    @Test
    void renew_and_release_of_nothing_touch_nothing() {
        JdbcTaskStore a = store("a");
        assertThat(a.queue().renew(List.of())).isEmpty();
        assertThat(a.queue().release(List.of())).isZero();
        assertThat(a.queue().renew(Set.of(12345L))).isEmpty();
    }

    @Test
    void finished_among_names_the_tasks_that_ended_however_they_ended() throws Exception {
        JdbcTaskStore a = store("a");
        long done = accept(a);
        long cancelled = accept(a);
        long running = accept(a);
        long queued = accept(a);
        assertThat(a.queue().claim(3)).hasSize(3);
        await(a.journal().taskFinished(done, TaskOutcome.completed(Json.object()), clock.instant()));
        assertThat(a.journal().cancel(cancelled, TaskOutcome.cancelled(), clock.instant())).isTrue();

        assertThat(a.reads().finishedAmong(List.of(done, cancelled, running, queued, 987654L)))
                .containsExactlyInAnyOrder(done, cancelled);
        assertThat(a.reads().finishedAmong(List.of())).isEmpty();
    }

    @Test
    void taken_among_names_only_tasks_another_worker_may_run_now() throws Exception {
        JdbcTaskStore a = store("a");
        JdbcTaskStore b = store(openAnother(), "b");
        long finishedHere = accept(a);
        long takenByB = accept(a);
        long requeued = accept(a);
        long stillMine = accept(a);
        assertThat(a.queue().claim(4)).hasSize(4);
        await(a.journal().taskFinished(finishedHere, TaskOutcome.completed(Json.object()), clock.instant()));
        clock.advance(LEASE.plusSeconds(1));
        a.queue().renew(List.of(finishedHere, stillMine));
        new Rescuer(database, clock).runOnce();   // takenByB and requeued go back to the queue
        assertThat(b.queue().claim(1)).extracting(ClaimedTask::taskId).containsExactly(takenByB);

        assertThat(a.queue().takenAmong(List.of(finishedHere, takenByB, requeued, stillMine)))
                .containsExactlyInAnyOrder(takenByB, requeued);
    }

    /**
     * The heartbeat can run between a task's outcome being committed and its run telling the worker it ended (the
     * engine tells it on another thread): the task then holds no lease, but it was finished here, not lost.
     */
    @Test
    void heartbeat_racing_a_finish_does_not_report_a_lost_lease_but_a_taken_task_does() throws Exception {
        JdbcTaskStore a = store("a");
        CompletableFuture<Void> finishCommitted = new CompletableFuture<>();
        CompletableFuture<Void> tellWorker = new CompletableFuture<>();
        TaskJournal held = new TaskJournal() {
            @Override
            public CompletionStage<Void> stepFinished(long taskId, StepRecord step) {
                return a.journal().stepFinished(taskId, step);
            }

            @Override
            public CompletionStage<Void> taskFinished(long taskId, TaskOutcome outcome, Instant at) {
                return a.journal().taskFinished(taskId, outcome, at).thenCompose(ok -> {
                    finishCommitted.complete(null);
                    return tellWorker;   // the engine hears of the commit only when the test says so
                });
            }
        };
        Logger workerLog = (Logger) LoggerFactory.getLogger(Worker.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        workerLog.addAppender(logged);
        try (TestEngine engine = new TestEngine(held, Executors.newFixedThreadPool(2), Limits.DEFAULT)) {
            Worker worker = new Worker(a.queue(), engine.engine(), new CompiledFlows(a::flowVersion, registry),
                    held, clock, 4, Worker.POLL_DEFAULT);
            long finishing = accept(a);
            assertThat(worker.runOnce()).isEqualTo(1);
            assertThat(block.awaitStarted(1)).isTrue();
            block.release();
            finishCommitted.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(row(finishing).state()).isEqualTo("completed");
            assertThat(worker.runningTasks()).as("the worker has not heard of the end yet").contains(finishing);

            assertThat(worker.renewLeases()).isZero();

            assertThat(lostLeases(logged)).as("finished here, not lost").isEmpty();
            tellWorker.complete(null);
            assertThat(worker.shutdown(WAIT)).isZero();
        }
        Blocking holding = new Blocking();
        try (TestEngine engine = new TestEngine(a.journal(), Executors.newFixedThreadPool(2), Limits.DEFAULT)) {
            Worker worker = new Worker(a.queue(), engine.engine(), new CompiledFlows(a::flowVersion,
                    TestNodes.registry(holding)), a.journal(), clock, 4,
                    Worker.POLL_DEFAULT);
            long taken = accept(a);
            assertThat(worker.runOnce()).isEqualTo(1);
            assertThat(holding.awaitStarted(1)).isTrue();
            clock.advance(LEASE.plusSeconds(1));
            new Rescuer(database, clock).runOnce();
            assertThat(store(openAnother(), "b").queue().claim(1)).extracting(ClaimedTask::taskId).containsExactly(taken);

            worker.renewLeases();

            assertThat(lostLeases(logged)).as("taken by another worker: the warning is true")
                    .containsExactly("task " + taken + " lost its lease: another worker may take it over; its writes "
                            + "from here are refused");
            holding.release();
            worker.shutdown(WAIT);
        } finally {
            holding.release();
            workerLog.detachAppender(logged);
        }
    }

    private static List<String> lostLeases(ListAppender<ILoggingEvent> logged) {
        return logged.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("lost its lease"))
                .toList();
    }
}
