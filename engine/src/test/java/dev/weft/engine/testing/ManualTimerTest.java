package dev.weft.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualTimerTest {

    private final ManualClock clock = new ManualClock();
    private final ManualTimer timer = new ManualTimer(clock);
    private final Instant t0 = clock.instant();
    private final List<String> ran = new ArrayList<>();

    @Test
    void advance_runs_due_actions_in_time_order_with_the_clock_at_their_instant() {
        timer.schedule(t0.plusSeconds(2), () -> ran.add("b@" + clock.instant()));
        timer.schedule(t0.plusSeconds(1), () -> ran.add("a@" + clock.instant()));
        timer.schedule(t0.plusSeconds(9), () -> ran.add("late"));

        timer.advance(Duration.ofSeconds(5));

        assertThat(ran).containsExactly("a@" + t0.plusSeconds(1), "b@" + t0.plusSeconds(2));
        assertThat(clock.instant()).isEqualTo(t0.plusSeconds(5));
        assertThat(timer.pending()).isEqualTo(1);
        assertThat(timer.nextAt()).contains(t0.plusSeconds(9));
    }

    @Test
    void actions_scheduled_while_advancing_run_when_they_fall_due_within_the_advance() {
        timer.schedule(t0.plusSeconds(1), () -> timer.schedule(clock.instant().plusSeconds(1), () -> ran.add("next")));

        timer.advance(Duration.ofSeconds(2));

        assertThat(ran).containsExactly("next");
    }

    @Test
    void cancelled_action_never_runs() {
        Runnable cancel = timer.schedule(t0.plusSeconds(1), () -> ran.add("x"));

        cancel.run();
        timer.advance(Duration.ofSeconds(1));

        assertThat(ran).isEmpty();
        assertThat(timer.pending()).isZero();
    }

    @Test
    void clock_does_not_go_back() {
        clock.advance(Duration.ofSeconds(1));

        assertThatThrownBy(() -> clock.set(t0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(clock.withZone(ZoneId.of("Europe/Paris")).instant()).isEqualTo(t0.plusSeconds(1));
    }
}
