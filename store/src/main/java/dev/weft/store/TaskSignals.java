package dev.weft.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes this process's worker when another process commits a new task or puts one back in the queue: on
 * PostgreSQL a dedicated connection {@code LISTEN}s on {@link Dialect#CHANNEL} (writes that queue tasks
 * {@code NOTIFY} it at commit). The worker's poll stays the fallback: a lost connection is re-opened, and the
 * worker is woken once after each (re)connect for whatever was missed. On SQLite nothing listens: its one process
 * wakes its worker in memory.
 */
public final class TaskSignals implements AutoCloseable {

    public static final int WAIT_MILLIS = 500;
    public static final int RETRY_MILLIS = 1_000;
    private static final Logger log = LoggerFactory.getLogger(TaskSignals.class);
    private static final String LISTEN = "LISTEN " + Dialect.CHANNEL;

    private final Database database;
    private final Runnable wake;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Connection connection;

    private TaskSignals(Database database, Runnable wake) {
        this.database = database;
        this.wake = wake;
        this.thread = new Thread(this::loop, "weft-listen");
        thread.setDaemon(true);
    }

    /** Starts listening (PostgreSQL); on SQLite returns a listener that does nothing. */
    public static TaskSignals listen(Database database, Runnable wake) {
        TaskSignals signals = new TaskSignals(database, wake);
        if (database.dialect().notifySql() != null) signals.thread.start();
        return signals;
    }

    private void loop() {
        while (!stopping) {
            try (Connection c = database.connectAside()) {
                connection = c;
                try (Statement listen = c.createStatement()) {
                    listen.execute(LISTEN);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                wake.run();
                while (!stopping) {
                    PGNotification[] got = pg.getNotifications(WAIT_MILLIS);
                    if (got != null && got.length > 0) wake.run();
                }
            } catch (SQLException | RuntimeException e) {
                if (stopping) return;
                log.warn("listening for new tasks failed ({}); polling until it reconnects", e.getMessage());
                try {
                    Thread.sleep(RETRY_MILLIS);   // back off before reconnecting; the worker's poll covers the gap
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
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
