package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.engine.testing.ManualClock;
import dev.weft.json.Json;
import dev.weft.queue.ClaimedTask;
import dev.weft.store.AcceptHook;
import dev.weft.store.Accepted;
import dev.weft.store.Database;
import dev.weft.store.JdbcCallbackStore;
import dev.weft.store.JdbcFlowStore;
import dev.weft.store.JdbcIdempotencyKeys;
import dev.weft.store.JdbcTaskStore;
import dev.weft.store.LeaseLostException;
import dev.weft.store.NewTask;
import dev.weft.store.StartMode;
import dev.weft.store.testing.TestPostgres;
import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The run API's storage (V3 migration, cancel, idempotency keys, retries, callbacks, flow limits) on SQLite and PostgreSQL. */
class RunApiStoreTest {

    static final Duration LEASE = Duration.ofSeconds(30);

    static Stream<Arguments> databases() {
        Supplier<Database> sqlite = () -> {
            try {
                return Database.openSqlite(Files.createTempDirectory("weft-store"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        Supplier<Database> postgres = () -> Database.openPostgres(TestPostgres.newDatabase());
        return Stream.of(Arguments.of("sqlite", sqlite), Arguments.of("postgresql", postgres));
    }

    record Fixture(Database database, ManualClock clock, JdbcTaskStore tasks, long flow) implements AutoCloseable {
        NewTask task() {
            return new NewTask(flow, 1, "start", "end", "end", Map.of(), null);
        }

        @Override
        public void close() {
            database.close();
        }
    }

    private static Fixture open(Supplier<Database> opener) {
        Database database = opener.get();
        ManualClock clock = new ManualClock();
        JdbcFlowStore flows = new JdbcFlowStore(database, clock);
        JsonNode doc = Json.read(TestServer.example("hello.json"));
        long flow = flows.create("hello", doc).id();
        flows.publish(flow, doc);
        return new Fixture(database, clock, new JdbcTaskStore(database, flows, clock, "me", LEASE), flow);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void cancel_is_guarded_and_seen_by_the_running_process(String name, Supplier<Database> opener) {
        try (Fixture f = open(opener)) {
            long queued = f.tasks().accept().accept(f.task(), StartMode.QUEUED, AcceptHook.NONE).task().id();
            long running = f.tasks().accept().accept(f.task(), StartMode.CLAIMED, AcceptHook.NONE).task().id();
            assertThat(f.tasks().reads().unfinishedOfFlow(f.flow())).isEqualTo(2);
            assertThat(f.tasks().reads().runningOfFlow(f.flow())).isEqualTo(1);
            assertThat(f.tasks().reads().queuedCount()).isEqualTo(1);

            assertThat(f.tasks().journal().cancel(queued, TaskOutcome.cancelled(), f.clock().instant())).isTrue();
            assertThat(f.tasks().journal().cancel(queued, TaskOutcome.cancelled(), f.clock().instant())).isFalse();
            assertThat(f.tasks().queue().claim(10)).as("a cancelled task is never claimed").isEmpty();
            assertThat(f.tasks().journal().cancel(running, TaskOutcome.cancelled(), f.clock().instant())).isTrue();
            assertThat(f.tasks().reads().cancelledAmong(List.of(running, 999L))).containsExactly(running);
            assertThat(f.tasks().reads().get(running).orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
            assertThat(f.tasks().reads().get(running).orElseThrow().error().type()).isEqualTo("cancelled");
            // the running process's writes are refused from now on
            assertThatThrownBy(() -> f.tasks().journal().taskFinished(running, TaskOutcome.completed(Json.object()),
                    f.clock().instant()).toCompletableFuture().join()).hasCauseInstanceOf(LeaseLostException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void an_idempotency_key_makes_one_task_and_is_forgotten_after_its_window(String name, Supplier<Database> opener) {
        try (Fixture f = open(opener)) {
            JdbcIdempotencyKeys keys = new JdbcIdempotencyKeys(f.database(), f.clock(), Duration.ofHours(24));
            Accepted first = f.tasks().accept().accept(f.task(), StartMode.QUEUED, keys.claim("key:a", "k1", "h1"));
            assertThat(first.created()).isTrue();
            JdbcIdempotencyKeys.Claim again = keys.claim("key:a", "k1", "h2");
            Accepted second = f.tasks().accept().accept(f.task(), StartMode.CLAIMED, again);
            assertThat(second.created()).isFalse();
            assertThat(second.task().id()).isEqualTo(first.task().id());
            assertThat(again.found().requestHash()).isEqualTo("h1");
            assertThat(f.tasks().accept().accept(f.task(), StartMode.QUEUED, keys.claim("key:b", "k1", "h1")).created()).isTrue();

            f.clock().advance(Duration.ofHours(25));
            assertThat(keys.find("key:a", "k1")).isEmpty();
            Accepted later = f.tasks().accept().accept(f.task(), StartMode.QUEUED, keys.claim("key:a", "k1", "h3"));
            assertThat(later.created()).isTrue();
            f.clock().advance(Duration.ofHours(25));
            assertThat(keys.prune()).as("the expired key was replaced; both left are old now").isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_retry_holds_the_done_steps_and_its_first_claim_loads_them(String name, Supplier<Database> opener) {
        try (Fixture f = open(opener)) {
            StepRecord done = new StepRecord("greet", "template", StepState.DONE, "success", Json.object(),
                    Json.object().put("text", "hi"), null, List.of(), f.clock().instant(), f.clock().instant());
            long retry = f.tasks().accept().accept(f.task(), new StartMode.Queued(List.of(done)), AcceptHook.NONE).task().id();
            List<ClaimedTask> claimed = f.tasks().queue().claim(1);
            assertThat(claimed).hasSize(1);
            assertThat(claimed.get(0).taskId()).isEqualTo(retry);
            assertThat(claimed.get(0).recorded()).extracting(StepRecord::nodeId).containsExactly("greet");
            assertThat(f.tasks().reads().steps(retry)).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void claims_under_a_flow_limit_leave_the_rest_queued(String name, Supplier<Database> opener) {
        try (Fixture f = open(opener)) {
            for (int i = 0; i < 3; i++) f.tasks().accept().accept(f.task(), StartMode.QUEUED, AcceptHook.NONE);
            List<ClaimedTask> first = f.tasks().queue().underFlowLimit(2).claim(10);
            assertThat(first).hasSize(2);
            assertThat(f.tasks().queue().underFlowLimit(2).claim(10)).isEmpty();
            f.tasks().journal().taskFinished(first.get(0).taskId(), TaskOutcome.completed(Json.object()), f.clock().instant())
                    .toCompletableFuture().join();
            assertThat(f.tasks().queue().underFlowLimit(2).claim(10)).hasSize(1);
            assertThat(f.tasks().reads().queuedCount()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_callback_waits_for_its_task_then_is_claimed_retried_and_delivered(String name, Supplier<Database> opener) {
        try (Fixture f = open(opener)) {
            JdbcCallbackStore callbacks = new JdbcCallbackStore(f.database(), f.clock());
            AcceptHook hook = callbacks.register("https://example.com/hook");
            long task = f.tasks().accept().accept(f.task(), StartMode.CLAIMED, hook).task().id();
            assertThat(callbacks.promoteFinished(10)).as("the task runs").isZero();
            assertThat(callbacks.forTask(task).orElseThrow().state()).isEqualTo("waiting");

            f.tasks().journal().taskFinished(task, TaskOutcome.completed(Json.object()), f.clock().instant())
                    .toCompletableFuture().join();
            assertThat(callbacks.promoteFinished(10)).isEqualTo(1);
            List<JdbcCallbackStore.Due> due = callbacks.claimDue(5, Duration.ofMinutes(1));
            assertThat(due).hasSize(1);
            assertThat(due.get(0).attempt()).isEqualTo(1);
            assertThat(callbacks.claimDue(5, Duration.ofMinutes(1))).as("claimed under a lease").isEmpty();

            callbacks.failed(due.get(0), new JdbcCallbackStore.DeliveryAttempt(1, f.clock().instant(), 5, 500,
                    "the receiver answered 500"), f.clock().instant().plusSeconds(10));
            assertThat(callbacks.earliestDue()).contains(f.clock().instant().plusSeconds(10));
            assertThat(callbacks.claimDue(5, Duration.ofMinutes(1))).isEmpty();
            f.clock().advance(Duration.ofSeconds(10));
            JdbcCallbackStore.Due second = callbacks.claimDue(5, Duration.ofMinutes(1)).get(0);
            assertThat(second.attempt()).isEqualTo(2);
            callbacks.delivered(second, new JdbcCallbackStore.DeliveryAttempt(2, f.clock().instant(), 3, 204, null));

            JdbcCallbackStore.Callback callback = callbacks.forTask(task).orElseThrow();
            assertThat(callback.state()).isEqualTo("delivered");
            assertThat(callback.history()).extracting(JdbcCallbackStore.DeliveryAttempt::statusCode)
                    .containsExactly(500, 204);
            assertThat(callbacks.setting("secret", () -> "first")).isEqualTo("first");
            assertThat(callbacks.setting("secret", () -> "second")).isEqualTo("first");
            assertThat(Set.of(callbacks.claimDue(5, Duration.ofMinutes(1)).size())).containsExactly(0);
        }
    }
}
