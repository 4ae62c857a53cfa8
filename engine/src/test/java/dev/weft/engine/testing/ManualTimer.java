package dev.weft.engine.testing;

import dev.weft.engine.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * A {@link Timer} driven by the test: {@link #advance} moves the {@link ManualClock} and runs each due action in
 * time order, on the calling thread, with the clock set to the action's instant. No thread ever sleeps.
 */
public final class ManualTimer implements Timer {

    private record Entry(Instant at, long seq, Runnable action) {}

    private final ManualClock clock;
    private final PriorityQueue<Entry> due = new PriorityQueue<>(
            Comparator.comparing(Entry::at).thenComparingLong(Entry::seq));
    private long seq;

    public ManualTimer(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Runnable schedule(Instant at, Runnable action) {
        Entry entry = new Entry(at, seq++, action);
        due.add(entry);
        return () -> {
            synchronized (this) {
                due.remove(entry);
            }
        };
    }

    /**
     * Moves time forward by {@code by}, running every action due until then (also those scheduled meanwhile),
     * each after setting the clock to its instant.
     */
    public void advance(Duration by) {
        Instant target = clock.instant().plus(by);
        for (Entry next = takeDue(target); next != null; next = takeDue(target)) {
            if (next.at().isAfter(clock.instant())) clock.set(next.at());
            next.action().run();
        }
        if (target.isAfter(clock.instant())) clock.set(target);
    }

    /** Runs the actions due now without moving the clock. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** How many actions wait to run. */
    public synchronized int pending() {
        return due.size();
    }

    /** When the next action is due, if any. */
    public synchronized Optional<Instant> nextAt() {
        return Optional.ofNullable(due.peek()).map(Entry::at);
    }

    private synchronized Entry takeDue(Instant until) {
        Entry next = due.peek();
        return next == null || next.at().isAfter(until) ? null : due.poll();
    }
}
