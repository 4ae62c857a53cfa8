package dev.weft.schedule;

import dev.weft.concurrent.Loop;
import dev.weft.concurrent.Threads;
import dev.weft.store.AcceptHook;
import dev.weft.store.Accepted;
import dev.weft.store.JdbcScheduleStore;
import dev.weft.store.ScheduleRecord;
import dev.weft.store.TickTakenException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop in each process that starts schedules' ticks: it wakes at the earliest due time (or every
 * {@link #POLL}, to see schedules another process made), plans each due schedule's ticks by its {@link CatchUp}
 * policy, and starts each tick's task with the store's claim in the same transaction. Every process runs one; the
 * claim makes sure each tick runs once, whichever process gets there first.
 */
public final class Scheduler implements AutoCloseable {

    /** The longest sleep between rounds. */
    public static final Duration POLL = Duration.ofSeconds(5);
    /** The shortest wait before a schedule whose tick failed for a passing reason (a busy flow) is tried again. */
    public static final Duration RETRY_MIN = Duration.ofSeconds(1);
    /** How long the claims of ticks that ran are kept (a claim older than any cursor is never looked at again). */
    public static final Duration CLAIMS_KEPT = Duration.ofDays(2);
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);
    /** How many schedules are planned at once. */
    static final int STARTS_AT_ONCE = 4;
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    /** Starts a tick's task with {@code claim} in its accept's transaction. */
    @FunctionalInterface
    public interface Starter {
        Accepted start(ScheduleRecord schedule, AcceptHook claim);
    }

    /** Why a tick's task could not be started, and whether trying again later may help. */
    public static final class TickFailed extends RuntimeException {
        private final boolean lasting;

        public TickFailed(String message, boolean lasting, Throwable cause) {
            super(message, cause);
            this.lasting = lasting;
        }

        /** True when trying again will not help (the flow lost its published version, the inputs no longer fit). */
        public boolean lasting() {
            return lasting;
        }
    }

    /** What one round did: ticks started here, ticks another process had started, ticks that failed. */
    public record Round(int started, int existing, int failed) {}

    private final JdbcScheduleStore store;
    private final Starter starter;
    private final Clock clock;
    private final Loop loop;
    private final ExecutorService starts = Threads.fixed("weft-schedules-start", STARTS_AT_ONCE);
    /**
     * One claim in flight per process: a claim waits for another process's uncommitted claim of the same tick (on
     * PostgreSQL), so two of the writer's batches each holding several claims could wait on each other in a
     * circle (a deadlock, which PostgreSQL breaks only after a second). With one claim per batch none can.
     */
    private final Object claiming = new Object();
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> wake;           // guarded by this
    private final AtomicReference<Instant> retryAfter = new AtomicReference<>(Instant.MIN);
    private Instant lastPrune = Instant.MIN;   // rounds never overlap

    public Scheduler(JdbcScheduleStore store, Starter starter, Clock clock) {
        this.store = store;
        this.starter = starter;
        this.clock = clock;
        this.loop = Loop.onWake("weft-schedules", POLL, this::round);
    }

    /** Starts the loop's thread and its wake-up timer. */
    public Scheduler start() {
        timer = Executors.newSingleThreadScheduledExecutor(Threads.named("weft-schedules-timer"));
        loop.start();
        return this;
    }

    /** Runs a round soon (a schedule was made or changed here). */
    public void wakeUp() {
        loop.wakeUp();
    }

    private void round() {
        runOnce();
        wakeAtNextDue();
    }

    /** One round: starts every tick due now (several schedules at once); returns when all are started. */
    public Round runOnce() {
        Instant now = clock.instant();
        retryAfter.set(Instant.MIN);
        List<CompletableFuture<Round>> rounds = new ArrayList<>();
        for (ScheduleRecord schedule : store.due(now)) {
            rounds.add(CompletableFuture.supplyAsync(() -> ticksOrFailed(schedule, now), starts));
        }
        int started = 0;
        int existing = 0;
        int failed = 0;
        for (CompletableFuture<Round> round : rounds) {
            Round done = round.join();
            started += done.started();
            existing += done.existing();
            failed += done.failed();
        }
        if (lastPrune.plus(PRUNE_EVERY).isBefore(now)) {
            lastPrune = now;
            store.prune(now.minus(CLAIMS_KEPT));
        }
        return new Round(started, existing, failed);
    }

    private Round ticksOrFailed(ScheduleRecord schedule, Instant now) {
        try {
            return ticks(schedule, now);
        } catch (RuntimeException e) {
            log.warn("schedule {} of flow {}: its ticks could not be started: {}", schedule.id(), schedule.flowId(),
                    e.toString());
            retryLater(now);
            return new Round(0, 0, 1);
        }
    }

    private void retryLater(Instant now) {
        retryAfter.accumulateAndGet(now.plus(RETRY_MIN), (a, b) -> a.isAfter(b) ? a : b);
    }

    private Round ticks(ScheduleRecord schedule, Instant now) {
        ScheduleRecord.Settings settings = schedule.settings();
        CronTimes times = CronTimes.of(settings.cron(), settings.zone());
        CatchUp policy = CatchUp.of(settings.catchUp()).orElse(CatchUp.SKIP);
        CatchUp.Plan plan = policy.plan(times, schedule.nextDue(), now, settings.catchUpLimit());
        int started = 0;
        int existing = 0;
        for (Instant due : plan.run()) {
            Instant after = times.next(due).orElse(Instant.MAX);
            try {
                Accepted accepted;
                synchronized (claiming) {
                    accepted = starter.start(schedule, store.claim(schedule.id(), due, after));
                }
                if (accepted.created()) started++;
                else existing++;
            } catch (TickTakenException e) {
                existing++;
            } catch (TickFailed e) {
                log.warn("schedule {} of flow {}: the tick due at {} {}: {}", schedule.id(), schedule.flowId(), due,
                        e.lasting() ? "is skipped" : "is tried again shortly", e.getMessage());
                if (!e.lasting()) {
                    retryLater(now);
                    return new Round(started, existing, 1);   // the cursor stays at this tick
                }
                store.advance(schedule.id(), after);
                return new Round(started, existing, 1 + ticks(schedule, now, plan, due));
            }
        }
        Instant last = plan.run().isEmpty() ? null : times.next(plan.run().get(plan.run().size() - 1)).orElse(null);
        // the last tick's claim moved the cursor already when nothing was skipped after it
        plan.nextDue().filter(next -> !next.equals(last)).ifPresent(next -> store.advance(schedule.id(), next));
        return new Round(started, existing, 0);
    }

    /** After a lasting failure: the plan's later ticks are skipped too (they would fail alike); the cursor moves on. */
    private int ticks(ScheduleRecord schedule, Instant now, CatchUp.Plan plan, Instant failedAt) {
        plan.nextDue().ifPresent(next -> store.advance(schedule.id(), next));
        return (int) plan.run().stream().filter(due -> due.isAfter(failedAt)).count();
    }

    /** Wakes the loop at the earliest due time, or after a failure's retry wait; the loop polls anyway. */
    private synchronized void wakeAtNextDue() {
        if (timer == null) return;
        if (wake != null) wake.cancel(false);
        Optional<Instant> due = store.earliestDue();
        if (due.isEmpty()) return;
        Instant at = due.get().isBefore(retryAfter.get()) ? retryAfter.get() : due.get();
        long millis = Duration.between(clock.instant(), at).toMillis();
        if (millis >= POLL.toMillis()) return;
        wake = timer.schedule(loop::wakeUp, Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        loop.close();
        if (timer != null) timer.shutdownNow();
        starts.shutdownNow();
    }
}
