package dev.weft.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A limiter's memory follows the keys in use: past a mark, entries that mean nothing any more are dropped. */
class RateLimiterSweepTest {

    @Test
    void buckets_full_again_are_dropped_once_many_keys_piled_up_and_busy_ones_are_kept() {
        AtomicLong nanos = new AtomicLong();
        RateLimiter limiter = new RateLimiter(1, 2, nanos::get);
        for (int i = 0; i < RateLimiter.KEPT_MIN; i++) assertThat(limiter.take("10.0." + i)).isZero();
        assertThat(limiter.kept()).as("up to the mark nothing is swept").isEqualTo(RateLimiter.KEPT_MIN);

        nanos.addAndGet(Duration.ofSeconds(2).toNanos());   // all of them are full again
        assertThat(limiter.take("busy")).isZero();
        assertThat(limiter.kept()).isEqualTo(RateLimiter.KEPT_MIN + 1);
        assertThat(limiter.take("busy")).isZero();   // over the mark: the sweep runs first and keeps "busy" (1 of 2)
        assertThat(limiter.kept()).isEqualTo(1);
        assertThat(limiter.take("busy")).as("its bucket was kept, so it is empty now").isPositive();
    }
}
