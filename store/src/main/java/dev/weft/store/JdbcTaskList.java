package dev.weft.store;

import dev.weft.task.TaskState;
import java.util.List;

/**
 * Read-only views of the task table for people browsing it (the web UI's tasks page): the newest tasks, filtered
 * by flow and state, and each flow's latest task. One named query per combination of filters, so each uses its
 * index ({@code tasks_flow}, the primary key) rather than a catch-all {@code OR}.
 */
public final class JdbcTaskList {

    public static final int LIMIT_MAX = 500;

    private static final String NEWEST = "SELECT " + TaskRows.TASK_COLUMNS
            + " FROM tasks WHERE id < ? ORDER BY id DESC LIMIT ?";
    private static final String NEWEST_OF_FLOW = "SELECT " + TaskRows.TASK_COLUMNS
            + " FROM tasks WHERE flow_id = ? AND id < ? ORDER BY id DESC LIMIT ?";
    private static final String NEWEST_IN_STATE = "SELECT " + TaskRows.TASK_COLUMNS
            + " FROM tasks WHERE state = ? AND id < ? ORDER BY id DESC LIMIT ?";
    private static final String NEWEST_OF_FLOW_IN_STATE = "SELECT " + TaskRows.TASK_COLUMNS
            + " FROM tasks WHERE flow_id = ? AND state = ? AND id < ? ORDER BY id DESC LIMIT ?";
    private static final String LATEST_PER_FLOW = "SELECT " + TaskRows.TASK_COLUMNS
            + " FROM tasks WHERE id IN (SELECT MAX(id) FROM tasks GROUP BY flow_id) ORDER BY id DESC";

    private final Database database;

    public JdbcTaskList(Database database) {
        this.database = database;
    }

    /**
     * The newest tasks first, with ids below {@code beforeId} (for the next page), at most {@code limit}
     * (capped at {@link #LIMIT_MAX}); {@code flowId} and {@code state} filter when not null.
     */
    public List<TaskRecord> newest(Long flowId, TaskState state, long beforeId, int limit) {
        return newest(flowId, state, null, beforeId, limit);
    }

    /**
     * {@link #newest(Long, TaskState, long, int)}, keeping only test-runs of drafts ({@code draft} true), only runs
     * of published versions (false), or both (null).
     */
    public List<TaskRecord> newest(Long flowId, TaskState state, Boolean draft, long beforeId, int limit) {
        int rows = Math.max(1, Math.min(limit, LIMIT_MAX));
        if (flowId != null && state != null) {
            return Rows.list(database.readers(), drafts(NEWEST_OF_FLOW_IN_STATE, draft), TaskRows::task, flowId,
                    state.word(), beforeId, rows);
        }
        if (flowId != null) {
            return Rows.list(database.readers(), drafts(NEWEST_OF_FLOW, draft), TaskRows::task, flowId, beforeId, rows);
        }
        if (state != null) {
            return Rows.list(database.readers(), drafts(NEWEST_IN_STATE, draft), TaskRows::task, state.word(),
                    beforeId, rows);
        }
        return Rows.list(database.readers(), drafts(NEWEST, draft), TaskRows::task, beforeId, rows);
    }

    /**
     * {@link #newest(Long, TaskState, Boolean, long, int)} inside workspace {@code workspaceId} only (index
     * {@code tasks_workspace}, or {@code tasks_flow} when a flow is named).
     */
    public List<TaskRecord> newest(long workspaceId, Long flowId, TaskState state, Boolean draft, long beforeId,
                                   int limit) {
        int rows = Math.max(1, Math.min(limit, LIMIT_MAX));
        List<Object> params = new java.util.ArrayList<>();
        params.add(workspaceId);
        String query = flowId != null && state != null ? NEWEST_OF_FLOW_IN_STATE
                : flowId != null ? NEWEST_OF_FLOW : state != null ? NEWEST_IN_STATE : NEWEST;
        if (flowId != null) params.add(flowId);
        if (state != null) params.add(state.word());
        params.add(beforeId);
        params.add(rows);
        return Rows.list(database.readers(), inWorkspace(drafts(query, draft)), TaskRows::task, params.toArray());
    }

    /** Each flow's latest task in workspace {@code workspaceId}, newest first. */
    public List<TaskRecord> latestPerFlow(long workspaceId) {
        return Rows.list(database.readers(), inWorkspace(LATEST_PER_FLOW).replace("GROUP BY",
                "WHERE workspace_id = ? GROUP BY"), TaskRows::task, workspaceId, workspaceId);
    }

    private static String inWorkspace(String query) {
        return query.replace(" FROM tasks WHERE ", " FROM tasks WHERE workspace_id = ? AND ");
    }

    /** {@code query} narrowed to draft tasks or to published versions' tasks (a constant condition, no input). */
    private static String drafts(String query, Boolean draft) {
        if (draft == null) return query;
        return query.replace(" FROM tasks WHERE ", " FROM tasks WHERE flow_version " + (draft ? ">= " : "< ")
                + FlowVersion.DRAFTS_FROM + " AND ");
    }

    /** Each flow's latest task (its last run), newest first. */
    public List<TaskRecord> latestPerFlow() {
        return Rows.list(database.readers(), LATEST_PER_FLOW, TaskRows::task);
    }
}
