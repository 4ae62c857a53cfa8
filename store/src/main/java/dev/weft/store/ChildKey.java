package dev.weft.store;

import java.sql.SQLException;

/**
 * A child task's name within its parent ({@code parent_key}): accepted with this hook, a child is made once per
 * (parent, key); asking again answers the child made the first time, so a parent step that resumes after a crash
 * attaches to the child it started instead of starting another.
 *
 * @param parentTaskId the parent task
 * @param key          the call's name within the parent, unique per once-only call
 */
public record ChildKey(long parentTaskId, String key) implements AcceptHook {

    private static final String FIND = "SELECT id FROM tasks WHERE parent_task_id = ? AND parent_key = ?";
    private static final String NAME = "UPDATE tasks SET parent_key = ? WHERE id = ?";

    @Override
    public Long existing(Tx tx) throws SQLException {
        return Rows.one(tx, FIND, row -> row.getLong(1), parentTaskId, key).orElse(null);
    }

    @Override
    public void inserted(Tx tx, long taskId) throws SQLException {
        Rows.update(tx, NAME, key, taskId);
    }
}
