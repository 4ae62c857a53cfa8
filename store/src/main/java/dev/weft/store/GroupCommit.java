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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer: every write goes through one connection on one thread, and the writes waiting at a moment
 * share one transaction, so one fsync commits many of them (group commit). A caller's future completes only
 * after its write is durable. When a batch fails, its writes are retried one by one so that one bad write does
 * not fail the others.
 */
public final class GroupCommit implements AutoCloseable {

    public static final int BATCH_MAX = 512;
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private record Op<T>(SqlWork<T> work, CompletableFuture<T> done) {}

    private static final Op<Void> STOP = new Op<>(tx -> null, new CompletableFuture<>());

    private final Connection connection;
    private final Tx tx;
    private final BlockingQueue<Op<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    public GroupCommit(Connection connection) throws SQLException {
        this.connection = connection;
        connection.setAutoCommit(false);
        this.tx = new Tx(connection);
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
                return;
            }
        }
    }

    private void commit(List<Op<?>> batch) {
        List<Object> results = new ArrayList<>(batch.size());
        try {
            for (Op<?> op : batch) results.add(op.work().run(tx));
            connection.commit();
        } catch (Exception e) {
            rollback();
            if (batch.size() == 1) {
                batch.get(0).done().completeExceptionally(e);
            } else {
                for (Op<?> op : batch) commit(List.of(op));
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) complete(batch.get(i), results.get(i));
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Op<T> op, Object result) {
        op.done().complete((T) result);
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.error("rollback failed", e);
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
