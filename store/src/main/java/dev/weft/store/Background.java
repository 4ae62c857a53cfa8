package dev.weft.store;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background loop that never dies: runs its round, waits an interval, again, until closed; a failed round is
 * logged and the next one follows. The round is a plain method ({@code runOnce()}) that tests call directly.
 */
public final class Background implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Background.class);

    private final String name;
    private final Duration every;
    private final Runnable round;
    private final Thread thread;
    private boolean stopping;   // guarded by this

    private Background(String name, Duration every, Runnable round) {
        this.name = name;
        this.every = every;
        this.round = round;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
    }

    /** Starts a loop that runs {@code round} every {@code every}, the first time after one interval. */
    public static Background every(String name, Duration every, Runnable round) {
        Background loop = new Background(name, every, round);
        loop.thread.start();
        return loop;
    }

    private void loop() {
        while (waitInterval()) {
            try {
                round.run();
            } catch (RuntimeException e) {
                if (stopping()) return;   // interrupted by close()
                log.error("{} round failed; trying again in {} ms", name, every.toMillis(), e);
            }
        }
    }

    private synchronized boolean stopping() {
        return stopping;
    }

    private synchronized boolean waitInterval() {
        long deadline = System.nanoTime() + every.toNanos();
        try {
            for (long left; !stopping && (left = deadline - System.nanoTime()) > 0; ) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            return false;
        }
        return !stopping;
    }

    /** Stops the loop; a round waiting on the database is interrupted (its write may still commit). */
    @Override
    public void close() {
        synchronized (this) {
            stopping = true;
            notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
