package dev.weft.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The tests' poll helper: the value that satisfies, or a failure naming what was awaited and the last value read. */
class PollsTest {

    @Test
    void answers_the_first_value_that_satisfies_reading_at_once_first() {
        AtomicInteger reads = new AtomicInteger();
        assertThat(Polls.until("three reads", Duration.ofSeconds(10), Duration.ofMillis(1), reads::incrementAndGet,
                n -> n >= 3)).isEqualTo(3);
        assertThat(Polls.until("at once", Duration.ofSeconds(10), Duration.ofSeconds(5), () -> "ready",
                "ready"::equals)).isEqualTo("ready");
    }

    @Test
    void running_out_fails_naming_what_was_awaited_and_the_last_value() {
        assertThatThrownBy(() -> Polls.until("task 7 finished", Duration.ofMillis(50), Duration.ofMillis(5),
                () -> "{\"status\": 1}", s -> false))
                .isInstanceOf(AssertionError.class)
                .hasMessage("task 7 finished: not within 50 ms; last read {\"status\": 1}");
    }
}
