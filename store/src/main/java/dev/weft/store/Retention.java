package dev.weft.store;

import java.time.Clock;
import java.time.Duration;

/**
 * Deletes finished tasks (and, by cascade, their steps) once they are older than the retention age, in small
 * batches, each its own short transaction: the table stays small, and neither it nor the delete ever holds up the
 * queue. Unfinished tasks are never touched. A round stops after {@link #ROUND_MAX} batches; the next round goes on.
 * Then old draft snapshots that no task runs any more go too.
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

    public Retention(Database database, Clock clock, Duration keep, int batch) {
        if (keep.isNegative() || keep.isZero()) throw new IllegalArgumentException("retention must be positive: " + keep);
        this.database = database;
        this.clock = clock;
        this.keep = keep;
        this.batch = batch;
        this.delete = database.dialect().sql(DELETE_FINISHED);
    }

    /** One round: deletes tasks finished before now minus the retention age; returns how many. */
    public int runOnce() {
        long before = clock.millis() - keep.toMillis();
        int total = 0;
        for (int round = 0; round < ROUND_MAX; round++) {
            int deleted = database.writeAside(tx -> Rows.update(tx, delete, before, batch));
            total += deleted;
            if (deleted < batch) break;
        }
        // a test-run reuses its flow's last snapshot while the draft is unchanged: only old ones go
        database.writeAside(tx -> Rows.update(tx, DELETE_SNAPSHOTS, before));
        return total;
    }
}
