package dev.weft.store;

import java.time.Clock;
import java.time.Duration;

/**
 * Deletes finished tasks (and, by cascade, their steps) once they are older than the retention age, in small
 * batches, each its own short transaction: the table stays small, and neither it nor the delete ever holds up the
 * queue. Unfinished tasks are never touched. A round stops after {@link #ROUND_MAX} batches; the next round goes on.
 * Then the finished tasks of deleted workspaces go, whatever their age, in batches too (a workspace's mark in
 * {@code workspace_purges} is removed once none of its tasks is left), and old draft snapshots that no task runs any
 * more.
 */
public final class Retention {

    public static final Duration KEEP_DEFAULT = Duration.ofDays(7);
    public static final Duration INTERVAL_DEFAULT = Duration.ofMinutes(1);
    public static final int BATCH_DEFAULT = 200;
    public static final int ROUND_MAX = 50;

    private static final String DELETE_FINISHED = """
            WITH old AS MATERIALIZED (
                SELECT id FROM tasks WHERE finished_at < ? AND state IN ('completed', 'failed', 'cancelled')
                ORDER BY finished_at LIMIT ? ${skip_locked})
            DELETE FROM tasks WHERE id IN (SELECT id FROM old)""";
    private static final String DELETE_PURGED = """
            WITH gone AS MATERIALIZED (
                SELECT id FROM tasks WHERE workspace_id = ? AND state IN ('completed', 'failed', 'cancelled')
                ORDER BY id LIMIT ? ${skip_locked})
            DELETE FROM tasks WHERE id IN (SELECT id FROM gone)""";
    private static final String PURGES = "SELECT workspace_id FROM workspace_purges ORDER BY deleted_at, workspace_id";
    private static final String PURGED = "DELETE FROM workspace_purges WHERE workspace_id = ?"
            + " AND NOT EXISTS (SELECT 1 FROM tasks WHERE workspace_id = ?)";
    /**
     * Draft snapshots older than the retention age that no task runs any more (their tasks went before), except
     * each flow's last one, which a test-run of the unchanged draft takes again.
     */
    private static final String DELETE_SNAPSHOTS = "DELETE FROM flow_versions WHERE version >= "
            + FlowVersion.DRAFTS_FROM + " AND created_at < ?"
            + " AND version < (SELECT MAX(w.version) FROM flow_versions w WHERE w.flow_id = flow_versions.flow_id)"
            + " AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.flow_id = flow_versions.flow_id"
            + " AND t.flow_version = flow_versions.version)";

    private final Database database;
    private final Clock clock;
    private final Duration keep;
    private final int batch;
    private final String delete;
    private final String deletePurged;

    /** {@code keep} null: retention is off, finished tasks are kept; only deleted workspaces' tasks go. */
    public Retention(Database database, Clock clock, Duration keep, int batch) {
        if (keep != null && (keep.isNegative() || keep.isZero())) {
            throw new IllegalArgumentException("retention must be positive: " + keep);
        }
        this.database = database;
        this.clock = clock;
        this.keep = keep;
        this.batch = batch;
        this.delete = database.dialect().sql(DELETE_FINISHED);
        this.deletePurged = database.dialect().sql(DELETE_PURGED);
    }

    /**
     * One round: deletes tasks finished before now minus the retention age, then deleted workspaces' finished tasks;
     * returns how many tasks went.
     */
    public int runOnce() {
        if (keep == null) return purgeDeletedWorkspaces();
        long before = clock.millis() - keep.toMillis();
        int total = 0;
        for (int round = 0; round < ROUND_MAX; round++) {
            int deleted = database.writeAside(tx -> Rows.update(tx, delete, before, batch));
            total += deleted;
            if (deleted < batch) break;
        }
        total += purgeDeletedWorkspaces();
        // a test-run reuses its flow's last snapshot while the draft is unchanged: only old ones go
        database.writeAside(tx -> Rows.update(tx, DELETE_SNAPSHOTS, before));
        return total;
    }

    /** Deletes the finished tasks of deleted workspaces, at most {@link #ROUND_MAX} batches a round; returns how many. */
    private int purgeDeletedWorkspaces() {
        int total = 0;
        int batches = 0;
        for (long workspace : Rows.list(database.readers(), PURGES, row -> row.getLong(1))) {
            while (true) {
                if (batches++ == ROUND_MAX) return total;
                int deleted = database.writeAside(tx -> Rows.update(tx, deletePurged, workspace, batch));
                total += deleted;
                if (deleted < batch) break;
            }
            database.writeAside(tx -> Rows.update(tx, PURGED, workspace, workspace));
        }
        return total;
    }
}
