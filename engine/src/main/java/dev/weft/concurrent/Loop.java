package dev.weft.concurrent;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named daemon thread that runs a round of work again and again until closed, and that no failed round ends: the
 * loop every background job of Weft runs on (the worker's claims, the callbacks, the heartbeat, the rescuer, the
 * retention, ...).
 *
 * <p>A round runs after each period, or sooner when {@linkplain #wakeUp() woken}; wake-ups that arrive during a
 * round make one more round, not one per wake-up. Whatever a round throws, an {@link Error} included, is logged
 * with the loop's name and the next round follows. From the second failure in a row the loop backs off: the n-th
 * waits {@code period × 2^(n-1)}, at most {@link #BACKOFF_MAX} (or the period, if longer), and a wake-up during
 * that wait is kept for its end rather than cutting it short. An interrupt ends the thread only once the loop is
 * closing; any other interrupt is logged and the loop goes on.
 *
 * <p>{@link #runOnce()} runs one round on the calling thread, so tests drive a loop without its thread and without
 * sleeping. Rounds never overlap, whichever thread runs them.
 */
public final class Loop implements AutoCloseable {

    /** The longest wait after failed rounds (unless the period is longer). */
    public static final Duration BACKOFF_MAX = Duration.ofSeconds(30);
    /** How long {@link #close()} lets a round in progress finish before interrupting it. */
    public static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(Loop.class);

    private final String name;
    private final Duration period;
    private final boolean firstAtOnce;
    private final Runnable round;
    private final ReentrantLock roundLock = new ReentrantLock();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean woken;              // guarded by lock
    private volatile boolean stopping;
    private int failures;               // in a row; guarded by roundLock
    private Thread thread;              // guarded by lock

    private Loop(String name, Duration period, boolean firstAtOnce, Runnable round) {
        if (period.isNegative() || period.isZero()) throw new IllegalArgumentException("period must be positive");
        this.name = name;
        this.period = period;
        this.firstAtOnce = firstAtOnce;
        this.round = round;
    }

    /** A loop (not started) that runs {@code round} every {@code period}, the first time one period after start. */
    public static Loop every(String name, Duration period, Runnable round) {
        return new Loop(name, period, false, round);
    }

    /**
     * A loop (not started) that runs {@code round} at start, then whenever {@linkplain #wakeUp() woken}, or after
     * {@code poll} at the latest.
     */
    public static Loop onWake(String name, Duration poll, Runnable round) {
        return new Loop(name, poll, true, round);
    }

    /** Starts the loop's thread, named after the loop. */
    public Loop start() {
        lock.lock();
        try {
            if (thread != null) throw new IllegalStateException("loop " + name + " already started");
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
            thread.start();
        } finally {
            lock.unlock();
        }
        return this;
    }

    /** Runs a round now instead of at the end of the period (once, however many wake-ups arrive meanwhile). */
    public void wakeUp() {
        lock.lock();
        try {
            woken = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True once {@link #close()} was called. */
    public boolean stopping() {
        return stopping;
    }

    /**
     * Runs one round on the calling thread, after any round in progress; whatever it throws is logged as the loop's
     * own rounds are. True if the round completed.
     */
    public boolean runOnce() {
        roundLock.lock();
        try {
            clearWoken();
            try {
                round.run();
                failures = 0;
                return true;
            } catch (Throwable t) {
                failed(t);
                return false;
            }
        } finally {
            roundLock.unlock();
        }
    }

    private void run() {
        Duration next = firstAtOnce ? Duration.ZERO : period;
        boolean wakeable = true;
        while (pause(next, wakeable)) {
            boolean ok = runOnce();
            int inARow = failuresInARow();
            next = ok || inARow < 2 ? period : backoff(inARow);
            wakeable = ok || inARow < 2;
        }
    }

    private int failuresInARow() {
        roundLock.lock();
        try {
            return failures;
        } finally {
            roundLock.unlock();
        }
    }

    /** The wait after the n-th failed round in a row (n ≥ 2). */
    Duration backoff(int inARow) {
        Duration cap = period.compareTo(BACKOFF_MAX) > 0 ? period : BACKOFF_MAX;
        if (inARow - 1 >= 30) return cap;
        long nanos = period.toNanos();
        long grown = nanos > (Long.MAX_VALUE >> (inARow - 1)) ? Long.MAX_VALUE : nanos << (inARow - 1);
        return grown >= cap.toNanos() ? cap : Duration.ofNanos(grown);
    }

    private void failed(Throwable t) {
        if (stopping) {
            log.debug("{} round ended by closing ({})", name, t.toString());
            return;
        }
        failures++;
        if (failures == 1) {
            log.error("{} round failed; the next round follows as usual", name, t);
        } else {
            log.error("{} round failed ({} in a row); backing off {} ms", name, failures,
                    backoff(failures).toMillis(), t);
        }
    }

    /** Waits {@code wait} (or for a wake-up, if {@code wakeable}); false once the loop is closing. */
    private boolean pause(Duration wait, boolean wakeable) {
        lock.lock();
        try {
            long left = wait.toNanos();
            while (!stopping && !(wakeable && woken) && left > 0) {
                try {
                    left = changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    if (stopping) return false;
                    log.warn("{} was interrupted but not closed; it goes on", name);
                    return true;
                }
            }
            return !stopping;
        } finally {
            lock.unlock();
        }
    }

    private void clearWoken() {
        lock.lock();
        try {
            woken = false;
        } finally {
            lock.unlock();
        }
    }

    /** Stops after the round in progress, which gets {@link #CLOSE_GRACE} before it is interrupted. */
    @Override
    public void close() {
        close(CLOSE_GRACE);
    }

    void close(Duration grace) {
        Thread t;
        lock.lock();
        try {
            stopping = true;
            changed.signalAll();
            t = thread;
        } finally {
            lock.unlock();
        }
        if (t == null || t == Thread.currentThread()) return;
        try {
            t.join(Math.max(1, grace.toMillis()));
            if (t.isAlive()) {
                t.interrupt();
                t.join(TimeUnit.SECONDS.toMillis(1));
                if (t.isAlive()) log.warn("{} did not stop within {} ms of being closed", name, grace.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
