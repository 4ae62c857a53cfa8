package dev.weft.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.CompiledFlows;
import dev.weft.engine.Engine;
import dev.weft.engine.Limits;
import dev.weft.engine.TaskListener;
import dev.weft.engine.testing.Blocking;
import dev.weft.engine.testing.Flows;
import dev.weft.engine.testing.ManualClock;
import dev.weft.engine.testing.ManualTimer;
import dev.weft.engine.testing.TestNodes;
import dev.weft.json.Json;
import dev.weft.registry.NodeRegistry;
import dev.weft.queue.Worker;
import dev.weft.store.AcceptHook;
import dev.weft.store.Database;
import dev.weft.store.JdbcFlowStore;
import dev.weft.store.JdbcTaskStore;
import dev.weft.store.NewTask;
import dev.weft.store.TaskRecord;
import dev.weft.store.Tx;
import dev.weft.task.StepRecord;
import dev.weft.task.StepState;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskState;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one intake, on a real (SQLite) task store: which path a task takes, and who hears of it. */
class IntakeTest {

    private final ManualClock clock = new ManualClock();
    private final Blocking block = new Blocking();
    private final NodeRegistry registry = TestNodes.registry(block);
    private final ExecutorService nodes = Executors.newFixedThreadPool(2);
    private final ExecutorService control = Executors.newSingleThreadExecutor();
    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final List<Started.Path> accepted = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Long> finished = new LinkedBlockingQueue<>();
    private final Database database;
    private final JdbcTaskStore tasks;
    private final Worker worker;
    private final Intake intake;
    private final long pure;
    private final long blocking;

    IntakeTest() throws Exception {
        database = Database.openSqlite(Files.createTempDirectory("weft-intake"));
        JdbcFlowStore flows = new JdbcFlowStore(database, clock);
        var pureDoc = Flows.flow().start("start").end("end", "out").edge("start", "end", "success -> out").document();
        pure = flows.create("pure", pureDoc).id();
        flows.publish(pure, pureDoc);
        var blockingDoc = Flows.flow().start("start").node("work", "block").end("end", "out")
                .edge("start", "work", "success -> @").edge("work", "end", "success -> out").document();
        blocking = flows.create("blocking", blockingDoc).id();
        flows.publish(blocking, blockingDoc);
        tasks = new JdbcTaskStore(database, flows, clock, "me", JdbcTaskStore.LEASE_DEFAULT);
        TaskListener listener = new TaskListener() {
            @Override
            public void stepFinished(long taskId, StepRecord step) {
                heard.add(taskId + " step " + step.nodeId());
            }

            @Override
            public void taskFinished(long taskId, TaskOutcome outcome, Instant at) {
                heard.add(taskId + " " + outcome.state().word());
                finished.add(taskId);
            }
        };
        Engine engine = new Engine(new Engine.Parts(tasks.journal(), nodes, control, new ManualTimer(clock), clock,
                Limits.DEFAULT, listener));
        CompiledFlows compiled = new CompiledFlows(tasks::flowVersion, registry);
        worker = new Worker(tasks.queue(), engine, compiled, tasks.journal(), clock, 1, Worker.POLL_DEFAULT);
        intake = new Intake(new Intake.Parts(tasks.accept(), compiled, engine, worker,
                new FlowLimit(tasks.reads(), 0, false), (task, start, path) -> accepted.add(path)));
    }

    @AfterEach
    void close() throws Exception {
        block.release();
        worker.shutdown(Duration.ofSeconds(5));
        nodes.shutdownNow();
        control.shutdownNow();
        assertThat(control.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        database.close();
    }

    private NewTask task(long flow) {
        return new NewTask(flow, 1, "start", "end", "end", Map.of("start", Json.read("{\"data\": {\"n\": 1}}")),
                null);
    }

    @Test
    void a_pure_flow_runs_inline_and_the_engine_tells_its_steps_under_the_stored_id() {
        Started started = intake.start(TaskStart.execute(task(pure), AcceptHook.NONE));

        TaskRecord task = started.accepted().task();
        assertThat(started.path()).isEqualTo(Started.Path.INLINE);
        assertThat(task.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(tasks.reads().get(task.id()).orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
        assertThat(heard).containsExactly(task.id() + " step start", task.id() + " step end",
                task.id() + " completed");
        assertThat(accepted).containsExactly(Started.Path.INLINE);
        assertThat(worker.freeSlots()).as("no slot taken").isEqualTo(1);
    }

    @Test
    void a_task_starts_here_on_a_free_slot_and_is_queued_when_every_slot_is_busy() throws Exception {
        Started first = intake.start(TaskStart.execute(task(blocking), AcceptHook.NONE));
        Started second = intake.start(TaskStart.execute(task(blocking), AcceptHook.NONE));

        assertThat(first.path()).isEqualTo(Started.Path.HERE);
        assertThat(first.accepted().task().state()).isEqualTo(TaskState.RUNNING);
        assertThat(block.awaitStarted(1)).isTrue();
        assertThat(second.path()).isEqualTo(Started.Path.QUEUED);
        assertThat(tasks.reads().get(second.accepted().task().id()).orElseThrow().state())
                .isEqualTo(TaskState.QUEUED);
        assertThat(accepted).containsExactly(Started.Path.HERE, Started.Path.QUEUED);
    }

    @Test
    void an_idempotent_repeat_starts_nothing_and_gives_its_slot_back() {
        long earlier = intake.start(TaskStart.execute(task(pure), AcceptHook.NONE)).accepted().task().id();
        heard.clear();
        accepted.clear();
        AcceptHook repeat = new AcceptHook() {
            @Override
            public Long existing(Tx tx) {
                return earlier;
            }
        };

        Started inline = intake.start(TaskStart.execute(task(pure), repeat));
        Started here = intake.start(TaskStart.execute(task(blocking), repeat));

        assertThat(inline.path()).isEqualTo(Started.Path.EXISTING);
        assertThat(here.path()).isEqualTo(Started.Path.EXISTING);
        assertThat(here.accepted().task().id()).isEqualTo(earlier);
        assertThat(heard).as("nothing new ran or was announced").isEmpty();
        assertThat(accepted).isEmpty();
        assertThat(worker.freeSlots()).isEqualTo(1);
        assertThat(worker.runningTasks()).isEmpty();
    }

    @Test
    void a_retry_of_a_pure_flow_starts_here_from_its_done_steps_never_inline() throws Exception {
        TaskRecord earlier = intake.start(TaskStart.execute(task(pure), AcceptHook.NONE)).accepted().task();
        List<StepRecord> done = tasks.reads().steps(earlier.id()).stream()
                .filter(step -> step.state() == StepState.DONE && step.nodeId().equals("start")).toList();
        heard.clear();
        finished.clear();

        Started retry = intake.start(TaskStart.retry(Intake.again(earlier, null), done));

        assertThat(retry.path()).isEqualTo(Started.Path.HERE);
        long id = retry.accepted().task().id();
        assertThat(finished.poll(5, TimeUnit.SECONDS)).as("the retry finished").isEqualTo(id);
        assertThat(heard).as("only the step not done before runs").containsExactly(id + " step end",
                id + " completed");
        assertThat(tasks.reads().steps(id)).extracting(StepRecord::nodeId).containsExactly("start", "end");
    }
}
