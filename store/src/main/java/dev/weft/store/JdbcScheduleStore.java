package dev.weft.store;

import dev.weft.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The schedules of flows and the ticks claimed from them. A tick is claimed by inserting its row (keyed by schedule
 * and due time) in the transaction that accepts its task ({@link #claim}): whichever process, however many try it,
 * one task per tick, and a crash before the commit leaves neither the claim nor the task.
 */
public final class JdbcScheduleStore {

    private static final String COLUMNS = """
            id, flow_id, cron, zone, inputs, enabled, catch_up, catch_up_limit, next_due, created_at, updated_at""";
    private static final String INSERT = """
            INSERT INTO schedules (flow_id, cron, zone, inputs, enabled, catch_up, catch_up_limit, next_due,
                                   created_at, updated_at)
            SELECT CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS INTEGER),
                   CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT)
            WHERE EXISTS (SELECT 1 FROM flows WHERE id = ? AND deleted_at IS NULL)
            RETURNING id""";
    private static final String UPDATE = """
            UPDATE schedules SET cron = ?, zone = ?, inputs = ?, enabled = ?, catch_up = ?, catch_up_limit = ?,
                   next_due = ?, updated_at = ? WHERE id = ? AND flow_id = ?""";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM schedules WHERE id = ? AND flow_id = ?";
    private static final String SELECT_OF_FLOW = "SELECT " + COLUMNS + " FROM schedules WHERE flow_id = ? ORDER BY id";
    /** Every schedule of a flow that is not deleted. */
    private static final String SELECT_ALL = "SELECT " + COLUMNS + " " + """
            FROM schedules s WHERE EXISTS (SELECT 1 FROM flows f WHERE f.id = s.flow_id AND f.deleted_at IS NULL)
            ORDER BY id""";
    private static final String DELETE = "DELETE FROM schedules WHERE id = ? AND flow_id = ?";
    /** The enabled schedules with a tick due, of flows that are not deleted; {@code next_due} is null when disabled. */
    private static final String DUE = "SELECT " + COLUMNS + " " + """
            FROM schedules s WHERE next_due <= ? AND enabled = 1
            AND EXISTS (SELECT 1 FROM flows f WHERE f.id = s.flow_id AND f.deleted_at IS NULL) ORDER BY next_due""";
    private static final String EARLIEST = """
            SELECT MIN(next_due) FROM schedules s WHERE enabled = 1
            AND EXISTS (SELECT 1 FROM flows f WHERE f.id = s.flow_id AND f.deleted_at IS NULL)""";
    /** The claim: nothing is inserted (0 rows) when the tick is claimed already, by whichever process. */
    private static final String CLAIM = """
            INSERT INTO schedule_ticks (schedule_id, due_at, task_id, claimed_at) VALUES (?, ?, NULL, ?)
            ON CONFLICT DO NOTHING""";
    private static final String CLAIMED_TASK = """
            SELECT k.id FROM schedule_ticks t JOIN tasks k ON k.id = t.task_id WHERE t.schedule_id = ? AND t.due_at = ?""";
    private static final String SET_TASK = "UPDATE schedule_ticks SET task_id = ? WHERE schedule_id = ? AND due_at = ?";
    /** The cursor only moves forward, whoever moves it and in whichever order. */
    private static final String ADVANCE = """
            UPDATE schedules SET next_due = ? WHERE id = ? AND enabled = 1 AND next_due IS NOT NULL AND next_due < ?""";
    private static final String TICK_COLUMNS = "schedule_id, due_at, task_id, claimed_at";
    private static final String LAST_TICK = "SELECT " + TICK_COLUMNS
            + " FROM schedule_ticks WHERE schedule_id = ? ORDER BY due_at DESC LIMIT 1";
    private static final String TICKS = "SELECT " + TICK_COLUMNS
            + " FROM schedule_ticks WHERE schedule_id = ? AND due_at >= ? AND due_at < ? ORDER BY due_at";
    private static final String TASKS = "SELECT " + TaskRows.TASK_COLUMNS + " " + """
            FROM tasks WHERE id IN (SELECT task_id FROM schedule_ticks WHERE schedule_id = ?) AND id < ?
            ORDER BY id DESC LIMIT ?""";
    private static final String PRUNE = "DELETE FROM schedule_ticks WHERE claimed_at < ?";

    private final Database database;
    private final Clock clock;

    public JdbcScheduleStore(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Stores a new schedule of {@code flowId}, its cursor at {@code nextDue}; empty when the flow does not exist. */
    public Optional<ScheduleRecord> create(long flowId, ScheduleRecord.Settings settings, Instant nextDue) {
        long now = clock.millis();
        Optional<Long> id = database.writer().run(tx -> Rows.one(tx, INSERT, row -> row.getLong(1), flowId,
                settings.cron(), settings.zone(), Json.write(settings.inputs()), settings.enabled() ? 1 : 0,
                settings.catchUp(), settings.catchUpLimit(), millis(nextDue), now, now, flowId));
        return id.flatMap(made -> find(flowId, made));
    }

    /** Replaces a schedule's settings and cursor; empty when the flow has no such schedule. */
    public Optional<ScheduleRecord> update(long flowId, long id, ScheduleRecord.Settings settings, Instant nextDue) {
        int changed = database.writer().run(tx -> Rows.update(tx, UPDATE, settings.cron(), settings.zone(),
                Json.write(settings.inputs()), settings.enabled() ? 1 : 0, settings.catchUp(), settings.catchUpLimit(),
                millis(nextDue), clock.millis(), id, flowId));
        return changed == 0 ? Optional.empty() : find(flowId, id);
    }

    public Optional<ScheduleRecord> find(long flowId, long id) {
        return Rows.one(database.readers(), SELECT, JdbcScheduleStore::schedule, id, flowId);
    }

    public List<ScheduleRecord> ofFlow(long flowId) {
        return Rows.list(database.readers(), SELECT_OF_FLOW, JdbcScheduleStore::schedule, flowId);
    }

    /** Every schedule of every flow that exists, oldest first. */
    public List<ScheduleRecord> all() {
        return Rows.list(database.readers(), SELECT_ALL, JdbcScheduleStore::schedule);
    }

    /** Deletes a schedule and its ticks' claims (its tasks stay); false when the flow has no such schedule. */
    public boolean delete(long flowId, long id) {
        return database.writer().run(tx -> Rows.update(tx, DELETE, id, flowId)) > 0;
    }

    /** The enabled schedules whose cursor is at or before {@code now}, the most overdue first. */
    public List<ScheduleRecord> due(Instant now) {
        return Rows.list(database.readers(), DUE, JdbcScheduleStore::schedule, now.toEpochMilli());
    }

    /** The earliest cursor of any enabled schedule, when there is one. */
    public Optional<Instant> earliestDue() {
        return Rows.list(database.readers(), EARLIEST, row -> {
            long at = row.getLong(1);
            return row.wasNull() ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochMilli(at));
        }).stream().flatMap(Optional::stream).findFirst();
    }

    /**
     * The hook that claims tick {@code dueAt} of schedule {@code scheduleId} in its task's accept: before the insert
     * it claims the tick, or, when another accept claimed it, answers with that accept's task (or throws
     * {@link TickTakenException} when that task is gone); after the insert it records the task on the claim and
     * moves the schedule's cursor to {@code nextDue}.
     */
    public AcceptHook claim(long scheduleId, Instant dueAt, Instant nextDue) {
        long due = dueAt.toEpochMilli();
        return new AcceptHook() {
            @Override
            public Long existing(Tx tx) throws SQLException {
                if (Rows.update(tx, CLAIM, scheduleId, due, clock.millis()) == 1) return null;
                return Rows.one(tx, CLAIMED_TASK, row -> row.getLong(1), scheduleId, due)
                        .orElseThrow(() -> new TickTakenException(scheduleId, due));
            }

            @Override
            public void inserted(Tx tx, long taskId) throws SQLException {
                Rows.update(tx, SET_TASK, taskId, scheduleId, due);
                Rows.update(tx, ADVANCE, nextDue.toEpochMilli(), scheduleId, nextDue.toEpochMilli());
            }
        };
    }

    /** Moves a schedule's cursor forward to {@code nextDue} (past ticks skipped); never backwards. */
    public void advance(long scheduleId, Instant nextDue) {
        database.writer().run(tx -> Rows.update(tx, ADVANCE, nextDue.toEpochMilli(), scheduleId,
                nextDue.toEpochMilli()));
    }

    /** The schedule's latest tick that ran, if any. */
    public Optional<ScheduleRecord.Tick> lastTick(long scheduleId) {
        return Rows.one(database.readers(), LAST_TICK, JdbcScheduleStore::tick, scheduleId);
    }

    /** The schedule's ticks due in [{@code from}, {@code to}), in order. */
    public List<ScheduleRecord.Tick> ticks(long scheduleId, Instant from, Instant to) {
        return Rows.list(database.readers(), TICKS, JdbcScheduleStore::tick, scheduleId, from.toEpochMilli(),
                to.toEpochMilli());
    }

    /** The schedule's tasks, newest first, with ids below {@code beforeId}, at most {@code limit}. */
    public List<TaskRecord> tasks(long scheduleId, long beforeId, int limit) {
        return Rows.list(database.readers(), TASKS, TaskRows::task, scheduleId, beforeId,
                Math.max(1, Math.min(limit, JdbcTaskList.LIMIT_MAX)));
    }


    /** Deletes the claims of ticks claimed before {@code before}; returns how many. */
    public int prune(Instant before) {
        return database.writeAside(tx -> Rows.update(tx, PRUNE, before.toEpochMilli()));
    }

    private static Long millis(Instant at) {
        return at == null ? null : at.toEpochMilli();
    }

    private static ScheduleRecord schedule(ResultSet row) throws SQLException {
        Long next = Rows.longOrNull(row, "next_due");
        ScheduleRecord.Settings settings = new ScheduleRecord.Settings(row.getString("cron"), row.getString("zone"),
                Json.read(row.getString("inputs")), row.getInt("enabled") == 1, row.getString("catch_up"),
                row.getInt("catch_up_limit"));
        return new ScheduleRecord(row.getLong("id"), row.getLong("flow_id"), settings,
                next == null ? null : Instant.ofEpochMilli(next), Instant.ofEpochMilli(row.getLong("created_at")),
                Instant.ofEpochMilli(row.getLong("updated_at")));
    }

    private static ScheduleRecord.Tick tick(ResultSet row) throws SQLException {
        return new ScheduleRecord.Tick(row.getLong("schedule_id"), Instant.ofEpochMilli(row.getLong("due_at")),
                Rows.longOrNull(row, "task_id"), Instant.ofEpochMilli(row.getLong("claimed_at")));
    }
}
