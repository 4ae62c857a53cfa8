package dev.weft.store;

import dev.weft.concurrent.Loop;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.LongConsumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears what other processes tell through the database: on PostgreSQL a dedicated connection {@code LISTEN}s on
 * {@link Dialect#CHANNEL} (writes that queue tasks {@code NOTIFY} it at commit), which wakes this process's worker,
 * and on {@link Dialect#FINISHED_CHANNEL} (writes that finish or cancel a task name it at commit), which answers
 * the requests waiting here for those tasks. Notifications can be missed while the connection is down: a lost
 * connection is re-opened (by a {@link Loop}, which backs off while it keeps failing), and after each (re)connect the worker is woken once and {@code connected} runs, so that
 * the waits check the database for whatever was missed. On SQLite nothing listens: its one process hears its own
 * work in memory.
 */
public final class TaskSignals implements AutoCloseable {

    public static final int WAIT_MILLIS = 500;
    public static final int RETRY_MILLIS = 1_000;
    private static final Logger log = LoggerFactory.getLogger(TaskSignals.class);

    private final Database database;
    private final Runnable queued;
    private final LongConsumer finished;
    private final Runnable connected;
    private final Loop loop;
    private volatile boolean stopping;
    private volatile Connection connection;

    private TaskSignals(Database database, Runnable queued, LongConsumer finished, Runnable connected) {
        this.database = database;
        this.queued = queued;
        this.finished = finished;
        this.connected = connected;
        this.loop = Loop.onWake("weft-listen", Duration.ofMillis(RETRY_MILLIS), this::listenUntilClosed);
    }

    /** Starts listening for queued tasks (PostgreSQL); on SQLite returns a listener that does nothing. */
    public static TaskSignals listen(Database database, Runnable wake) {
        return listen(database, wake, null, () -> {});
    }

    /**
     * Starts listening (PostgreSQL): {@code queued} (null: not listened for) runs when another process queued tasks,
     * {@code finished} (null: not listened for) with the id of each task another process finished or cancelled,
     * {@code connected} after each (re)connect. On SQLite returns a listener that does nothing.
     */
    public static TaskSignals listen(Database database, Runnable queued, LongConsumer finished, Runnable connected) {
        TaskSignals signals = new TaskSignals(database, queued, finished, connected);
        boolean any = queued != null || finished != null;
        if (database.dialect().notifySql() != null && any) signals.loop.start();
        return signals;
    }

    /**
     * One round of the loop: connects, listens and dispatches until closed; a lost connection ends the round with an
     * exception, and the loop reconnects after {@link #RETRY_MILLIS} (longer if it keeps failing). Meanwhile the
     * polls cover the gap.
     */
    private void listenUntilClosed() {
        try (Connection c = database.connectAside()) {
            connection = c;
            try (Statement listen = c.createStatement()) {
                if (queued != null) listen.execute("LISTEN " + Dialect.CHANNEL);
                if (finished != null) listen.execute("LISTEN " + Dialect.FINISHED_CHANNEL);
            }
            PGConnection pg = c.unwrap(PGConnection.class);
            if (queued != null) queued.run();
            connected.run();
            while (!stopping) {
                PGNotification[] got = pg.getNotifications(WAIT_MILLIS);
                if (got != null && got.length > 0) dispatch(got);
            }
        } catch (SQLException | RuntimeException e) {
            if (stopping) return;   // the connection closed by close()
            throw new StoreException("listening for other processes' tasks failed (" + e.getMessage()
                    + "); polling until it reconnects", e);
        }
    }

    private void dispatch(PGNotification[] got) {
        boolean wake = false;
        for (PGNotification n : got) {
            if (Dialect.CHANNEL.equals(n.getName())) {
                wake = true;
            } else if (Dialect.FINISHED_CHANNEL.equals(n.getName()) && finished != null) {
                try {
                    finished.accept(Long.parseLong(n.getParameter().trim()));
                } catch (NumberFormatException e) {
                    log.warn("ignored a malformed task id '{}' on channel {}", n.getParameter(), Dialect.FINISHED_CHANNEL);
                }
            }
        }
        if (wake && queued != null) queued.run();
    }

    @Override
    public void close() {
        stopping = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing on shutdown
            }
        }
        loop.close();
    }
}
