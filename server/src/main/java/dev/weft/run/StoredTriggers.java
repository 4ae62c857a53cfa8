package dev.weft.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.store.JdbcTaskTriggers;

/**
 * The triggers as the task JSON shows them, from their stored records: {@code trigger: {kind, id}} for a task a
 * webhook ({@code id} its text id), a hosted form or a schedule ({@code id} a number, and the tick's {@code due_at})
 * started. Used by {@code GET /api/v1/task/{id}} and the tasks list alike.
 */
public final class StoredTriggers implements TaskTriggers {

    private final JdbcTaskTriggers triggers;

    public StoredTriggers(JdbcTaskTriggers triggers) {
        this.triggers = triggers;
    }

    @Override
    public void mark(ObjectNode json, long taskId) {
        triggers.of(taskId).ifPresent(trigger -> write(json, trigger));
    }

    /** Adds {@code trigger} to a task's {@code json}. */
    public static void write(ObjectNode json, JdbcTaskTriggers.Trigger trigger) {
        ObjectNode out = json.putObject("trigger").put("kind", trigger.kind());
        if (trigger.kind().equals("webhook")) out.put("id", trigger.id());
        else out.put("id", Long.parseLong(trigger.id()));
        if (trigger.dueAt() != null) out.put("due_at", trigger.dueAt().toString());
    }
}
