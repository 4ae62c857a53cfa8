package dev.weft.store;

import dev.weft.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What started a task other than an execute, read in one query over the three triggers' own records of the tasks
 * they start: a schedule's tick ({@code schedule_ticks}), a webhook's delivery ({@code webhook_tasks}) and a hosted
 * form's submission ({@code form_submissions}). Each of those rows is committed in the task's own accept, so a task
 * has its trigger from its first read.
 */
public final class JdbcTaskTriggers {

    /** A task's trigger: its kind ({@code schedule}, {@code webhook} or {@code form}), the trigger's id, and for a
     * schedule the tick's due time (null otherwise). */
    public record Trigger(long taskId, String kind, String id, Instant dueAt) {}

    private static final String OF = """
            SELECT task_id, 'schedule' AS kind, CAST(schedule_id AS TEXT) AS trigger_id, due_at
              FROM schedule_ticks WHERE task_id IN (${id_list})
            UNION ALL
            SELECT task_id, 'webhook', webhook_id, NULL FROM webhook_tasks WHERE task_id IN (${id_list})
            UNION ALL
            SELECT task_id, 'form', CAST(form_id AS TEXT), NULL FROM form_submissions WHERE task_id IN (${id_list})""";

    private final Database database;
    private final String of;

    public JdbcTaskTriggers(Database database) {
        this.database = database;
        this.of = database.dialect().sql(OF);
    }

    /** The trigger of task {@code taskId}, or empty when an execute (or a sub-flow, a retry, a test run) started it. */
    public Optional<Trigger> of(long taskId) {
        return Optional.ofNullable(of(List.of(taskId)).get(taskId));
    }

    /** For each of {@code taskIds} a trigger started, its trigger; the others are absent. */
    public Map<Long, Trigger> of(Collection<Long> taskIds) {
        Map<Long, Trigger> found = new HashMap<>();
        if (taskIds.isEmpty()) return found;
        String ids = Json.write(List.copyOf(taskIds));
        for (Trigger trigger : Rows.list(database.readers(), of, JdbcTaskTriggers::trigger, ids, ids, ids)) {
            found.put(trigger.taskId(), trigger);
        }
        return found;
    }

    private static Trigger trigger(ResultSet row) throws SQLException {
        long due = row.getLong("due_at");
        Instant dueAt = row.wasNull() ? null : Instant.ofEpochMilli(due);
        return new Trigger(row.getLong("task_id"), row.getString("kind"), row.getString("trigger_id"), dueAt);
    }
}
