package dev.weft.queue;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon thread that runs a round of work when woken, or after {@code poll} at the latest, until closed. Wake-ups
 * that arrive during a round make one more round, not one per wake-up. A round that throws is logged and the next
 * one runs as usual.
 */
public final class Rounds implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Rounds.class);

    private final String name;
    private final Duration poll;
    private final Runnable round;
    private final Semaphore signal = new Semaphore(0);
    private volatile boolean stopping;
    private Thread thread;

    /** {@code name} names the thread and the log lines. */
    public Rounds(String name, Duration poll, Runnable round) {
        this.name = name;
        this.poll = poll;
        this.round = round;
    }

    public synchronized void start() {
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs a round now instead of at the next poll (once, however many wake-ups arrive meanwhile). */
    public void wakeUp() {
        if (signal.availablePermits() == 0) signal.release();
    }

    /** True once {@link #close()} was called. */
    public boolean stopping() {
        return stopping;
    }

    private void loop() {
        while (!stopping) {
            try {
                round.run();
            } catch (Exception e) {
                log.error("{} round failed; trying again", name, e);
            }
            try {
                signal.tryAcquire(poll.toMillis(), TimeUnit.MILLISECONDS);
                signal.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops after the round in progress, waiting up to 5 s for it. */
    @Override
    public void close() {
        stopping = true;
        wakeUp();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
