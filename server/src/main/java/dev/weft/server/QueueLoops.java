package dev.weft.server;

import dev.weft.run.TaskWaits;
import dev.weft.concurrent.Loop;
import dev.weft.queue.Worker;
import dev.weft.store.Database;
import dev.weft.store.Rescuer;
import dev.weft.store.Retention;
import dev.weft.store.TaskSignals;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The background work of one process on the task queue, started and stopped together: the heartbeat that renews
 * the leases of the tasks its worker runs (every third of a lease), the rescuer that re-queues tasks whose lease
 * ran out (every sixth of a lease), retention of finished tasks (every minute), and on PostgreSQL the
 * {@code LISTEN} connection that wakes the worker when another process queues a task and answers the requests
 * waiting here when another process finishes one.
 */
final class QueueLoops implements AutoCloseable {

    private final List<AutoCloseable> parts;

    private QueueLoops(List<AutoCloseable> parts) {
        this.parts = parts;
    }

    /**
     * {@code worker} is null in a process that runs no tasks (role {@code api}), {@code waits} in one that serves no
     * run API (role {@code worker}).
     */
    static QueueLoops start(Database database, Worker worker, TaskWaits waits, Clock clock, ClusterConfig cluster) {
        List<AutoCloseable> parts = new ArrayList<>();
        parts.add(TaskSignals.listen(database, worker == null ? null : worker::wakeUp,
                waits == null ? null : waits::finished, waits == null ? () -> {} : waits::recheck));
        if (worker != null) {
            parts.add(Loop.every("weft-heartbeat", cluster.lease().dividedBy(3), worker::renewLeases).start());
        }
        Rescuer rescuer = new Rescuer(database, clock);
        parts.add(Loop.every("weft-rescuer", Rescuer.intervalFor(cluster.lease()), rescuer::runOnce).start());
        // with retention off (null) finished tasks stay, but a deleted workspace's still go
        Retention retention = new Retention(database, clock, cluster.retention(), Retention.BATCH_DEFAULT);
        parts.add(Loop.every("weft-retention", Retention.INTERVAL_DEFAULT, retention::runOnce).start());
        return new QueueLoops(parts);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable part : parts) part.close();
    }
}
