package dev.weft.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The production {@link Timer}: a scheduled executor measuring delays on the engine's clock. */
public final class ScheduledTimer implements Timer, AutoCloseable {

    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    public ScheduledTimer(Clock clock) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "weft-timer");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);   // step timeouts are nearly always cancelled
        this.scheduler = executor;
        this.clock = clock;
    }

    @Override
    public Runnable schedule(Instant at, Runnable action) {
        long delay = Math.max(0, Duration.between(clock.instant(), at).toNanos());
        ScheduledFuture<?> future = scheduler.schedule(action, delay, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
