package dev.weft.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SessionsTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    @Test
    void a_session_lives_for_its_lifetime_then_is_forgotten() {
        ManualClock clock = new ManualClock();
        Sessions sessions = new Sessions(clock, Duration.ofHours(1));
        Sessions.Created created = sessions.create();
        assertThat(sessions.find(created.cookieValue())).contains(created.session());
        assertThat(sessions.find(created.cookieValue() + "x")).isEmpty();
        clock.now = clock.now.plus(Duration.ofMinutes(59));
        assertThat(sessions.find(created.cookieValue())).isPresent();
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertThat(sessions.find(created.cookieValue())).isEmpty();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void sign_out_ends_the_session_and_the_store_stays_bounded() {
        ManualClock clock = new ManualClock();
        Sessions sessions = new Sessions(clock, Duration.ofHours(1));
        Sessions.Created first = sessions.create();
        sessions.end(first.cookieValue());
        assertThat(sessions.find(first.cookieValue())).isEmpty();
        for (int i = 0; i < Sessions.CAPACITY + 10; i++) {
            clock.now = clock.now.plusMillis(1);
            sessions.create();
        }
        assertThat(sessions.size()).isLessThanOrEqualTo(Sessions.CAPACITY);
    }
}
