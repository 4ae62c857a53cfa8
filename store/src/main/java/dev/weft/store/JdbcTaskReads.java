package dev.weft.store;

import dev.weft.flow.Flow;
import dev.weft.json.Json;
import dev.weft.task.StepEntry;
import dev.weft.task.StepRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The task table as the API reads it: a task, its steps, which tasks finished or were cancelled (the safety nets of
 * waits and cancels), and the counts behind limits and metrics. Reads only; any process may serve them.
 */
public final class JdbcTaskReads {

    private static final String SELECT_ONE = "SELECT " + TaskRows.TASK_COLUMNS + " FROM tasks WHERE id = ?";
    /** The steps with their task's flow version, whose run order breaks ties between equal finish times. */
    private static final String SELECT_STEPS_AND_VERSION = """
            SELECT s.node_id, s.type, s.state, s.port, s.inputs, s.outputs, s.error, s.attempts, s.started_at,
                   s.finished_at, s.rendered_settings, t.flow_id, t.flow_version
            FROM steps s JOIN tasks t ON t.id = s.task_id WHERE s.task_id = ? ORDER BY s.finished_at, s.node_id""";
    private static final String SELECT_ENTRIES = """
            SELECT node_id, seq, key, value, recorded_at FROM step_journal WHERE task_id = ? AND node_id = ?
            ORDER BY seq""";
    private static final String CANCELLED_AMONG = "SELECT id FROM tasks WHERE state = 'cancelled' AND id IN (${id_list})";
    /** The safety net of waits: which of these tasks have finished (however: succeeded, failed, cancelled). */
    private static final String FINISHED_AMONG =
            "SELECT id FROM tasks WHERE state NOT IN ('queued', 'running') AND id IN (${id_list})";
    /** {@code flow_id + 0}: keeps the planner on the small unfinished-tasks index instead of every task of the flow. */
    private static final String UNFINISHED_OF_FLOW = """
            SELECT COUNT(*) FROM tasks WHERE state IN ('queued', 'running') AND flow_id + 0 = ?""";
    static final String RUNNING_OF_FLOW = """
            SELECT COUNT(*) FROM ${running_tasks} WHERE state = 'running' AND flow_id + 0 = ?""";
    static final String QUEUED_COUNT = "SELECT COUNT(*) FROM ${queued_tasks} WHERE state = 'queued'";

    private final Database database;
    private final FlowVersions flows;
    private final String cancelledAmong;
    private final String finishedAmong;
    private final String runningOfFlow;
    private final String queuedCount;
    private final Map<String, Map<String, Integer>> runOrders = new ConcurrentHashMap<>();

    JdbcTaskReads(Database database, FlowVersions flows) {
        this.database = database;
        this.flows = flows;
        this.cancelledAmong = database.dialect().sql(CANCELLED_AMONG);
        this.finishedAmong = database.dialect().sql(FINISHED_AMONG);
        this.runningOfFlow = database.dialect().sql(RUNNING_OF_FLOW);
        this.queuedCount = database.dialect().sql(QUEUED_COUNT);
    }

    public Optional<TaskRecord> get(long id) {
        return Rows.one(database.readers(), SELECT_ONE, TaskRows::task, id);
    }

    /**
     * The task's recorded steps in the order they finished; steps that finished in the same millisecond in the order
     * the flow runs them ({@link Flow#runOrder()}).
     */
    public List<StepRecord> steps(long taskId) {
        List<VersionedStep> rows = Rows.list(database.readers(), SELECT_STEPS_AND_VERSION, row -> new VersionedStep(
                TaskRows.step(row), row.getLong("flow_id"), row.getInt("flow_version")), taskId);
        List<StepRecord> steps = new ArrayList<>(rows.size());
        rows.forEach(row -> steps.add(row.step()));
        if (steps.size() < 2) return steps;
        Map<String, Integer> order = runOrder(rows.get(0).flowId(), rows.get(0).flowVersion());
        steps.sort(Comparator.comparing(StepRecord::finishedAt, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(step -> order.getOrDefault(step.nodeId(), Integer.MAX_VALUE)));
        return steps;
    }

    private record VersionedStep(StepRecord step, long flowId, int flowVersion) {}

    /** The version's {@link Flow#runOrder()}, computed once per version (a version never changes). */
    private Map<String, Integer> runOrder(long flowId, int version) {
        return runOrders.computeIfAbsent(flowId + "/" + version, k -> {
            try {
                return flows.parsed(flowId, version).runOrder();
            } catch (NotFoundException e) {
                return Map.of();   // the flow was deleted: finish times alone
            }
        });
    }

    /**
     * The task's steps including every step this process handed to the writer before the call: waits until the
     * writes queued so far have committed. The engine queues a step's write before it tells listeners, so a
     * listener that registers and then reads this way misses no step: each is either read here or heard live.
     */
    public List<StepRecord> stepsAfterQueuedWrites(long taskId) {
        database.writer().run(tx -> null);
        return steps(taskId);
    }

    /**
     * The journal entries the step of {@code nodeId} recorded (an agent's model and tool calls), in order; empty
     * when it recorded none. Kept after the step finishes, deleted with the task.
     */
    public List<StepEntry> entries(long taskId, String nodeId) {
        return Rows.list(database.readers(), SELECT_ENTRIES, TaskRows::entry, taskId, nodeId);
    }

    /**
     * Which of these tasks have finished in the database (one read for all): the safety net of requests waiting
     * for tasks that other processes run, in case a notification was missed.
     */
    public Set<Long> finishedAmong(Collection<Long> taskIds) {
        if (taskIds.isEmpty()) return Set.of();
        return new HashSet<>(Rows.list(database.readers(), finishedAmong, row -> row.getLong(1),
                Json.write(taskIds)));
    }

    /** Which of these tasks (running in this process) were cancelled in the database, maybe by another process. */
    public Set<Long> cancelledAmong(Collection<Long> taskIds) {
        if (taskIds.isEmpty()) return Set.of();
        return new HashSet<>(Rows.list(database.readers(), cancelledAmong, row -> row.getLong(1),
                Json.write(taskIds)));
    }

    /** How many tasks of the flow are queued or running. */
    public long unfinishedOfFlow(long flowId) {
        return Rows.one(database.readers(), UNFINISHED_OF_FLOW, row -> row.getLong(1), flowId).orElse(0L);
    }

    /** How many tasks of the flow are running. */
    public long runningOfFlow(long flowId) {
        return Rows.one(database.readers(), runningOfFlow, row -> row.getLong(1), flowId).orElse(0L);
    }

    /** How many tasks wait in the queue. */
    public long queuedCount() {
        return Rows.one(database.readers(), queuedCount, row -> row.getLong(1)).orElse(0L);
    }
}
