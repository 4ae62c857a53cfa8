package dev.weft.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer: every write goes through one connection on one thread, and the writes waiting at a moment
 * share one transaction, so one fsync commits many of them (group commit). A caller's future completes only
 * after its write is durable. When a batch fails, its writes are retried one by one so that one bad write does
 * not fail the others; when the connection itself broke (a database restart), the writer takes a new one.
 * A write that asks for it ({@link Tx#signal()}) makes the batch notify other processes' workers at commit.
 */
public final class GroupCommit implements AutoCloseable {

    public static final int BATCH_MAX = 512;
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private record Op<T>(SqlWork<T> work, CompletableFuture<T> done) {}

    private static final Op<Void> STOP = new Op<>(tx -> null, new CompletableFuture<>());

    private final DataSource source;
    private final String notifySql;
    private Connection connection;
    private Tx tx;
    private final BlockingQueue<Op<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Takes the writer's connection from {@code source}; {@code notifySql} (null: none) is run once in a batch
     * that has a signalled write, just before its commit.
     */
    public GroupCommit(DataSource source, String notifySql) throws SQLException {
        this.source = source;
        this.notifySql = notifySql;
        connect();
        this.thread = new Thread(this::loop, "weft-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues {@code work}; the future completes with its result once committed. */
    public <T> CompletableFuture<T> submit(SqlWork<T> work) {
        CompletableFuture<T> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new StoreException("the store is closed", null));
            return done;
        }
        queue.add(new Op<>(work, done));
        return done;
    }

    /** Runs {@code work} in the writer and waits for its commit; its exceptions are rethrown unchecked. */
    public <T> T run(SqlWork<T> work) {
        try {
            return submit(work).get();
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while writing", e);
        }
    }

    static RuntimeException unwrap(Throwable cause) {
        if (cause instanceof CompletionException && cause.getCause() != null) cause = cause.getCause();
        if (cause instanceof RuntimeException re) return re;
        if (cause instanceof SQLException se) return new StoreException("database error: " + se.getMessage(), se);
        return new StoreException(String.valueOf(cause), cause);
    }

    private void loop() {
        List<Op<?>> batch = new ArrayList<>(BATCH_MAX);
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, BATCH_MAX - 1);
            boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) commit(batch);
            batch.clear();
            if (stop) {
                tx.closeStatements();
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // closing on shutdown
                }
                return;
            }
        }
    }

    private void connect() throws SQLException {
        connection = source.getConnection();
        connection.setAutoCommit(false);
        tx = new Tx(connection);
    }

    private void commit(List<Op<?>> batch) {
        Throwable failure = tryCommit(batch);
        if (failure == null) return;
        if (!reconnected() || batch.size() == 1) {
            for (Op<?> op : batch) op.done().completeExceptionally(failure);
            return;
        }
        // one write failed the batch: commit them one by one, so that only the bad one fails
        for (int i = 0; i < batch.size(); i++) {
            Op<?> op = batch.get(i);
            Throwable alone = tryCommit(List.of(op));
            if (alone == null) continue;
            op.done().completeExceptionally(alone);
            if (!valid()) {   // the database went away meanwhile: fail the rest now, the next batch reconnects
                for (Op<?> rest : batch.subList(i + 1, batch.size())) rest.done().completeExceptionally(alone);
                return;
            }
        }
    }

    /**
     * Runs and commits {@code batch} in one transaction; completes its futures, or returns why it failed. A write
     * that throws anything, an {@link Error} included, fails its batch, never the writer's thread.
     */
    private Throwable tryCommit(List<Op<?>> batch) {
        List<Object> results = new ArrayList<>(batch.size());
        try {
            tx.begin();
            for (Op<?> op : batch) results.add(op.work().run(tx));
            if (tx.signalled() && notifySql != null) tx.prepare(notifySql).execute();
            connection.commit();
        } catch (Throwable e) {
            rollback();
            return e;
        }
        for (int i = 0; i < batch.size(); i++) complete(batch.get(i), results.get(i));
        return null;
    }

    private boolean valid() {
        try {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Op<T> op, Object result) {
        op.done().complete((T) result);
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.warn("rollback failed: {}", e.getMessage());
        }
    }

    /** True when the connection works (again): the batch's writes may be retried one by one. */
    private boolean reconnected() {
        if (valid()) return true;
        log.warn("the writer's database connection broke; taking a new one");
        tx.closeStatements();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // it is broken already
        }
        try {
            connect();
            return true;
        } catch (SQLException e) {
            log.error("cannot reconnect the writer: {}", e.getMessage());
            return false;
        }
    }

    /** Commits what is queued, then stops the writer thread. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        queue.add(STOP);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Op<?> op; (op = queue.poll()) != null; ) {
            op.done().completeExceptionally(new StoreException("the store is closed", null));
        }
    }
}
