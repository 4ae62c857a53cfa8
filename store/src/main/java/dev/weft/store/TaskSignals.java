package dev.weft.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
 * connection is re-opened, and after each (re)connect the worker is woken once and {@code connected} runs, so that
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
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Connection connection;

    private TaskSignals(Database database, Runnable queued, LongConsumer finished, Runnable connected) {
        this.database = database;
        this.queued = queued;
        this.finished = finished;
        this.connected = connected;
        this.thread = new Thread(this::loop, "weft-listen");
        thread.setDaemon(true);
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
        if (database.dialect().notifySql() != null && any) signals.thread.start();
        return signals;
    }

    private void loop() {
        while (!stopping) {
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
                if (stopping) return;
                log.warn("listening for other processes' tasks failed ({}); polling until it reconnects",
                        e.getMessage());
                try {
                    Thread.sleep(RETRY_MILLIS);   // back off before reconnecting; the polls cover the gap
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
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
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
