package dev.weft.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a schedule does with ticks missed while every process was down (due longer than {@link #LATE_MAX} ago when
 * a process looks): {@link #SKIP} them, run {@link #ONCE} for all of them, or run {@link #ALL} of them, the latest
 * ones up to a limit. Ticks due less than {@link #LATE_MAX} ago are late, not missed, and always run.
 */
public enum CatchUp {
    SKIP, ONCE, ALL;

    /** How late a tick may be and still run whatever the policy. */
    public static final Duration LATE_MAX = Duration.ofMinutes(1);
    /** The most missed ticks {@link #ALL} runs, whatever limit is asked for. */
    public static final int LIMIT_MAX = 1000;
    /** The most late ticks one round runs for one schedule (a round that long late is a round after downtime). */
    static final int LATE_TICKS_MAX = 1000;

    /** The ticks to run now, oldest first, and where the schedule's cursor goes after them. */
    public record Plan(List<Instant> run, Optional<Instant> nextDue) {
        public Plan {
            run = List.copyOf(run);
        }
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The policy named {@code word} ({@code skip}, {@code once}, {@code all}), if any. */
    public static Optional<CatchUp> of(String word) {
        for (CatchUp policy : values()) if (policy.word().equals(word)) return Optional.of(policy);
        return Optional.empty();
    }

    /**
     * The ticks of {@code times} to run at {@code now} for a schedule whose cursor is at {@code nextDue} (its first
     * fire time not yet handled): the late ones (due within {@link #LATE_MAX}), and of the missed ones (due before)
     * none, the latest, or the latest {@code limit}, as this policy says. The cursor then goes to the first fire
     * time after {@code now}. Pure: the same arguments give the same plan.
     */
    public Plan plan(CronTimes times, Instant nextDue, Instant now, int limit) {
        Instant lateFrom = now.minus(LATE_MAX);
        List<Instant> run = new ArrayList<>();
        if (nextDue.isBefore(lateFrom)) {
            int missed = switch (this) {
                case SKIP -> 0;
                case ONCE -> 1;
                case ALL -> Math.max(0, Math.min(limit, LIMIT_MAX));
            };
            // the latest missed ticks, found backwards from the start of the late window
            Instant before = lateFrom;
            while (run.size() < missed) {
                Optional<Instant> previous = times.previous(before);
                if (previous.isEmpty() || previous.get().isBefore(nextDue)) break;
                run.add(previous.get());
                before = previous.get();
            }
            Collections.reverse(run);
        }
        Instant at = nextDue.isBefore(lateFrom) ? times.next(lateFrom.minusMillis(1)).orElse(null) : nextDue;
        int late = 0;
        while (at != null && !at.isAfter(now) && late < LATE_TICKS_MAX) {
            run.add(at);
            late++;
            at = times.next(at).orElse(null);
        }
        Optional<Instant> cursor = Optional.ofNullable(at);
        if (at != null && !at.isAfter(now)) cursor = times.next(now);   // more late ticks than one round runs
        return new Plan(run, cursor);
    }
}
