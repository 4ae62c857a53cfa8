package dev.weft.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronTimesTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2025-03-29T00:00:00Z"));

    @Test
    void five_fields_fire_at_the_minute_in_the_schedule_zone() {
        CronTimes times = CronTimes.of("0 9 * * *", "Europe/Paris");
        assertThat(times.next(clock.instant())).contains(Instant.parse("2025-03-29T08:00:00Z"));
    }

    @Test
    void the_local_time_is_kept_across_a_daylight_saving_change() {
        CronTimes times = CronTimes.of("0 9 * * *", "Europe/Paris");
        assertThat(times.next(clock.instant(), 3)).containsExactly(Instant.parse("2025-03-29T08:00:00Z"),
                Instant.parse("2025-03-30T07:00:00Z"), Instant.parse("2025-03-31T07:00:00Z"));
    }

    @Test
    void six_fields_have_seconds_and_the_next_time_is_strictly_after() {
        CronTimes times = CronTimes.of("*/15 * * * * *", "UTC");
        Instant t0 = clock.instant();
        assertThat(times.next(t0.plusMillis(500))).contains(t0.plusSeconds(15));
        assertThat(times.next(t0.plusSeconds(15))).contains(t0.plusSeconds(30));
        assertThat(times.previous(t0.plusSeconds(15))).contains(t0);
        assertThat(times.previous(t0.plusSeconds(14))).contains(t0);
    }

    @Test
    void fire_times_are_whole_seconds_whatever_fraction_the_instant_asked_from_has() {
        Instant t0 = clock.instant();
        CronTimes everySecond = CronTimes.of("* * * * * *", "UTC");
        assertThat(everySecond.next(t0.plusNanos(264_849_249))).contains(t0.plusSeconds(1));
        assertThat(everySecond.next(t0.plusSeconds(3), 2)).containsExactly(t0.plusSeconds(4), t0.plusSeconds(5));
        assertThat(everySecond.previous(t0.plusMillis(2_500))).contains(t0.plusSeconds(2));
        assertThat(everySecond.previous(t0.plusSeconds(2))).contains(t0.plusSeconds(1));
        assertThat(CronTimes.of("* * * * *", "UTC").next(t0.plusMillis(1))).contains(t0.plusSeconds(60));
    }

    @Test
    void spaces_around_and_between_fields_do_not_matter() {
        assertThat(CronTimes.of("  0   9 * *  1-5 ", "UTC").expression()).isEqualTo("0 9 * * 1-5");
    }

    @Test
    void an_invalid_expression_is_refused_naming_cron() {
        for (String bad : List.of("61 * * * *", "* * *", "0 9 * * * * *", "banana * * * *", "")) {
            assertThatThrownBy(() -> CronTimes.of(bad, "UTC")).isInstanceOfSatisfying(CronTimes.Invalid.class,
                    e -> assertThat(e.field()).as(bad).isEqualTo("cron"));
        }
    }

    @Test
    void an_unknown_zone_is_refused_naming_zone() {
        for (String bad : List.of("Mars/Olympus_Mons", "", "UTC+99")) {
            assertThatThrownBy(() -> CronTimes.of("0 9 * * *", bad)).isInstanceOfSatisfying(CronTimes.Invalid.class,
                    e -> assertThat(e.field()).as(bad).isEqualTo("zone"));
        }
    }

    @Test
    void a_cron_that_fires_every_second_is_refused_under_the_minimum_interval() {
        Duration min = ScheduleConfig.MIN_INTERVAL_DEFAULT;
        assertThatThrownBy(() -> CronTimes.of("* * * * * *", "UTC").requireInterval(clock.instant(), min))
                .isInstanceOfSatisfying(CronTimes.Invalid.class, e -> {
                    assertThat(e.field()).isEqualTo("cron");
                    assertThat(e.getMessage()).contains("fires every 1 s").contains("WEFT_SCHEDULE_MIN_INTERVAL");
                });
        // mostly 55 s apart, but 5 s between :00 and :05 of every minute
        assertThatThrownBy(() -> CronTimes.of("0,5 * * * * *", "UTC").requireInterval(clock.instant(), min))
                .isInstanceOf(CronTimes.Invalid.class);
        CronTimes.of("*/10 * * * * *", "UTC").requireInterval(clock.instant(), min);
        CronTimes.of("* * * * * *", "UTC").requireInterval(clock.instant(), Duration.ofSeconds(1));
    }

    @Test
    void a_cron_that_never_fires_is_refused() {
        assertThatThrownBy(() -> CronTimes.of("0 0 30 2 *", "UTC").requireInterval(clock.instant(),
                Duration.ofSeconds(10))).isInstanceOfSatisfying(CronTimes.Invalid.class,
                e -> assertThat(e.getMessage()).contains("never fires"));
    }
}
