package dev.weft.auth;

import dev.weft.store.JdbcRateBuckets;
import java.time.Clock;

/**
 * Makes the rate limits of one kind of thing ({@code scope}: server keys, webhooks): kept in this process's memory
 * when it is the only one (SQLite), or in buckets shared by every process on the database (PostgreSQL), so that a
 * limit holds however many processes the requests are spread over.
 */
public interface RateLimits {

    /** {@code perSecond} requests a second on average, bursts of {@code burst}; {@code perSecond <= 0} is no limit. */
    RateLimit of(String scope, double perSecond, int burst);

    /** Each process limits the requests it receives (exact with one process). */
    RateLimits IN_MEMORY = (scope, perSecond, burst) -> new RateLimiter(perSecond, burst, System::nanoTime);

    /** One bucket per key in the database, shared by every process. */
    static RateLimits shared(JdbcRateBuckets buckets, Clock clock) {
        return (scope, perSecond, burst) -> new SharedRateLimiter(buckets, scope, perSecond, burst, clock);
    }
}
