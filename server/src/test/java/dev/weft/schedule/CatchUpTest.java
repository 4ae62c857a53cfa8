package dev.weft.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatchUpTest {

    private static final Instant TEN = Instant.parse("2025-01-01T10:00:00Z");
    private final CronTimes everyMinute = CronTimes.of("* * * * *", "UTC");
    private final ManualClock clock = new ManualClock(TEN);

    private static Instant at(String time) {
        return Instant.parse("2025-01-01T" + time + "Z");
    }

    @Test
    void a_tick_due_now_runs_and_the_cursor_moves_to_the_next_fire_time() {
        clock.advance(Duration.ofMillis(200));
        CatchUp.Plan plan = CatchUp.SKIP.plan(everyMinute, TEN, clock.instant(), 10);
        assertThat(plan.run()).containsExactly(TEN);
        assertThat(plan.nextDue()).contains(at("10:01:00"));
    }

    @Test
    void nothing_runs_before_the_cursor() {
        clock.advance(Duration.ofSeconds(30));
        CatchUp.Plan plan = CatchUp.ALL.plan(everyMinute, at("10:01:00"), clock.instant(), 10);
        assertThat(plan.run()).isEmpty();
        assertThat(plan.nextDue()).contains(at("10:01:00"));
    }

    @Test
    void late_ticks_run_whatever_the_policy() {
        clock.advance(Duration.ofSeconds(50));   // a 1-second schedule 50 s behind: late, not missed
        CronTimes everySecond = CronTimes.of("* * * * * *", "UTC");
        for (CatchUp policy : CatchUp.values()) {
            CatchUp.Plan plan = policy.plan(everySecond, TEN, clock.instant(), 1);
            assertThat(plan.run()).as(policy.word()).hasSize(51).startsWith(TEN).endsWith(at("10:00:50"));
            assertThat(plan.nextDue()).contains(at("10:00:51"));
        }
    }

    @Test
    void skip_drops_the_ticks_missed_while_every_process_was_down() {
        clock.advance(Duration.ofHours(2).plusSeconds(30));   // down from 10:00 to 12:00:30
        CatchUp.Plan plan = CatchUp.SKIP.plan(everyMinute, TEN, clock.instant(), 10);
        assertThat(plan.run()).containsExactly(at("12:00:00"));
        assertThat(plan.nextDue()).contains(at("12:01:00"));
    }

    @Test
    void once_runs_the_latest_missed_tick_once_for_all_of_them() {
        clock.advance(Duration.ofHours(2).plusSeconds(30));
        CatchUp.Plan plan = CatchUp.ONCE.plan(everyMinute, TEN, clock.instant(), 10);
        assertThat(plan.run()).containsExactly(at("11:59:00"), at("12:00:00"));
        assertThat(plan.nextDue()).contains(at("12:01:00"));
    }

    @Test
    void all_runs_the_latest_missed_ticks_up_to_its_limit_oldest_first() {
        clock.advance(Duration.ofHours(2).plusSeconds(30));
        CatchUp.Plan plan = CatchUp.ALL.plan(everyMinute, TEN, clock.instant(), 3);
        assertThat(plan.run()).containsExactly(at("11:57:00"), at("11:58:00"), at("11:59:00"), at("12:00:00"));
    }

    @Test
    void all_under_its_limit_runs_every_missed_tick_from_the_cursor() {
        clock.advance(Duration.ofHours(2).plusSeconds(30));
        CatchUp.Plan plan = CatchUp.ALL.plan(everyMinute, at("11:55:00"), clock.instant(), 100);
        assertThat(plan.run()).containsExactly(at("11:55:00"), at("11:56:00"), at("11:57:00"), at("11:58:00"),
                at("11:59:00"), at("12:00:00"));
    }

    @Test
    void policies_are_named_by_their_words() {
        assertThat(List.of("skip", "once", "all").stream().map(w -> CatchUp.of(w).orElseThrow()))
                .containsExactly(CatchUp.SKIP, CatchUp.ONCE, CatchUp.ALL);
        assertThat(CatchUp.of("sometimes")).isEmpty();
    }
}
