package dev.weft.engine.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link Clock} that stands still until a test moves it; thread-safe, never goes backwards. */
public final class ManualClock extends Clock {

    public static final Instant START_DEFAULT = Instant.parse("2025-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    public ManualClock() {
        this(START_DEFAULT);
    }

    public ManualClock(Instant start) {
        this(new AtomicReference<>(start), ZoneOffset.UTC);
    }

    private ManualClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /** Moves the clock forward by {@code by} and returns the new instant. */
    public Instant advance(Duration by) {
        if (by.isNegative()) throw new IllegalArgumentException("a clock does not go back: " + by);
        return now.updateAndGet(t -> t.plus(by));
    }

    /** Moves the clock forward to {@code at}; an instant in the past is refused. */
    public void set(Instant at) {
        now.updateAndGet(t -> {
            if (at.isBefore(t)) throw new IllegalArgumentException("a clock does not go back: " + at + " < " + t);
            return at;
        });
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** The same moving instant, seen in another zone. */
    @Override
    public Clock withZone(ZoneId zone) {
        return new ManualClock(now, zone);
    }
}
