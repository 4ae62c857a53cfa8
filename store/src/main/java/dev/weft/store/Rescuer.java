package dev.weft.store;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts tasks whose lease ran out back in the queue: their process died or was cut off for longer than a lease, so
 * no heartbeat renewed them. The tasks keep their recorded steps (the next claim loads them), and other processes'
 * workers are woken. Any process may run it; on PostgreSQL rows another transaction holds are skipped, not waited
 * for. Together with the heartbeat this bounds how long a task can stay running without a live owner: a lease
 * plus one interval of this loop.
 */
public final class Rescuer {

    public static final int BATCH_DEFAULT = 500;
    private static final Logger log = LoggerFactory.getLogger(Rescuer.class);

    static final String RESCUE = """
            WITH expired AS MATERIALIZED (
                SELECT id FROM ${running_tasks} WHERE state = 'running' AND lease_until < ? ORDER BY id LIMIT ? ${skip_locked})
            UPDATE tasks SET state = 'queued', lease_owner = NULL, lease_until = NULL
            WHERE state = 'running' AND lease_until < ? AND id IN (SELECT id FROM expired)
            RETURNING id""";

    private final Database database;
    private final Clock clock;
    private final String rescue;

    public Rescuer(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.rescue = database.dialect().sql(RESCUE);
    }

    /** How often a process should run the rescuer for leases of {@code lease}: often enough to bound failover. */
    public static Duration intervalFor(Duration lease) {
        return lease.dividedBy(6);
    }

    /** One round: re-queues every task whose lease has run out, in batches; returns how many. */
    public int runOnce() {
        long now = clock.millis();
        int total = 0;
        while (true) {
            List<Long> ids = database.writer().run(tx -> {
                List<Long> rescued = Rows.list(tx, rescue, row -> row.getLong(1), now, BATCH_DEFAULT, now);
                if (!rescued.isEmpty()) tx.signal();
                return rescued;
            });
            total += ids.size();
            if (!ids.isEmpty()) {
                log.warn("re-queued {} task(s) whose lease ran out (owner gone): {}{}", ids.size(),
                        ids.subList(0, Math.min(ids.size(), 20)), ids.size() > 20 ? " ..." : "");
            }
            if (ids.size() < BATCH_DEFAULT) return total;
        }
    }
}
