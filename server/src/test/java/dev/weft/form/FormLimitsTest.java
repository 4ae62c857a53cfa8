package dev.weft.form;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.auth.RateLimiter;
import dev.weft.http.ApiException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The hosted forms' rate limits, on a manual clock: per address, per form, and for password attempts. */
class FormLimitsTest {

    final AtomicLong nanos = new AtomicLong();
    final FormLimits limits = new FormLimits((scope, perSecond, burst) -> new RateLimiter(perSecond, burst, nanos::get));

    @Test
    void one_address_gets_its_burst_then_429_until_a_token_refills() {
        for (int i = 0; i < FormLimits.ADDRESS_BURST; i++) limits.submit(1, "10.0.0.1");

        assertThatThrownBy(() -> limits.submit(1, "10.0.0.1")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.kind()).isEqualTo(ApiException.Kind.RATE_LIMITED);
            assertThat(e.retryAfter()).isPositive();
        });
        limits.submit(1, "10.0.0.2");   // another address is not held back
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        limits.submit(1, "10.0.0.1");
    }

    @Test
    void one_form_gets_its_burst_from_many_addresses_then_429() {
        for (int i = 0; i < FormLimits.FORM_BURST; i++) limits.submit(2, "10.0.1." + i);

        assertThatThrownBy(() -> limits.submit(2, "10.0.2.1")).isInstanceOf(ApiException.class)
                .hasMessageContaining("this form has been sent too often");
        limits.submit(3, "10.0.2.1");   // another form is not held back
    }

    @Test
    void password_attempts_are_limited_per_form_and_address() {
        for (int i = 0; i < FormLimits.UNLOCK_BURST; i++) limits.unlock(4, "10.0.0.9");

        assertThatThrownBy(() -> limits.unlock(4, "10.0.0.9")).isInstanceOf(ApiException.class)
                .hasMessageContaining("too many password attempts");
        limits.unlock(5, "10.0.0.9");
        nanos.addAndGet(Duration.ofSeconds(20).toNanos());
        limits.unlock(4, "10.0.0.9");
    }
}
