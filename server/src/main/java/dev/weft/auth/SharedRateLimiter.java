package dev.weft.auth;

import dev.weft.store.JdbcRateBuckets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rate limit that holds across processes: each key's token bucket lives in the database ({@link JdbcRateBuckets},
 * bucket {@code scope + key}), and this process takes tokens from it a few at a time ({@link #chunk}: at most a
 * twentieth of a second's worth and a quarter of the burst) and spends them on its own requests. Every request
 * allowed anywhere spent a token of the shared bucket, so all processes together never pass the limit; tokens a
 * process took and did not spend within {@link #HELD_FOR} are dropped, so a quiet process holds few for long. A key
 * found over its limit is refused here without reading the bucket again until a take's worth of tokens can be there
 * (at most a twentieth of a second), so a client hammering past its limit costs the database one read per take, not
 * one per request. When the database cannot be
 * reached the process limits alone, as {@link RateLimiter} does.
 */
public final class SharedRateLimiter implements RateLimit {

    /** How long tokens taken from the shared bucket stay spendable here. */
    static final Duration HELD_FOR = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(SharedRateLimiter.class);

    private static final class Held {
        int tokens;
        long until;
        long emptyUntil;   // the shared bucket was empty: no token can be there before this
    }

    private final JdbcRateBuckets buckets;
    private final String scope;
    private final double perSecond;
    private final int burst;
    private final int chunk;
    private final Clock clock;
    private final RateLimiter alone;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final RateLimiter.Sweeps sweeps = new RateLimiter.Sweeps();
    private volatile boolean warned;

    public SharedRateLimiter(JdbcRateBuckets buckets, String scope, double perSecond, int burst, Clock clock) {
        this.buckets = buckets;
        this.scope = scope;
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
        this.chunk = chunk(perSecond, this.burst);
        this.clock = clock;
        this.alone = new RateLimiter(perSecond, burst, System::nanoTime);
    }

    /** How many tokens one take from the shared bucket asks for. */
    static int chunk(double perSecond, int burst) {
        return (int) Math.max(1, Math.min(Math.floor(burst / 4.0), Math.floor(perSecond / 20)));
    }

    @Override
    public boolean enabled() {
        return perSecond > 0;
    }

    @Override
    public Duration take(String key) {
        if (!enabled()) return Duration.ZERO;
        sweeps.maybe(held, (k, h) -> {   // nothing held and nothing remembered
            long now = clock.millis();
            return now >= h.until && now >= h.emptyUntil;
        });
        Held here = held.computeIfAbsent(key, k -> new Held());
        synchronized (here) {   // one take from the database at a time per key here; the others spend what it got
            long now = clock.millis();
            if (here.tokens >= 1 && now < here.until) {
                here.tokens--;
                return Duration.ZERO;
            }
            if (now < here.emptyUntil) return Duration.ofMillis(here.emptyUntil - now);   // refused without a read
            JdbcRateBuckets.Take took;
            try {
                took = buckets.take(scope + key, perSecond, burst, chunk, now);
            } catch (RuntimeException e) {
                if (!warned) {
                    warned = true;
                    log.warn("rate limit buckets cannot be read ({}); this process limits its own requests until they can",
                            e.getMessage());
                }
                return alone.take(key);
            }
            warned = false;
            if (took.granted() == 0) {
                here.tokens = 0;
                // until a whole take's worth is there: a client past its limit costs one read per take, not per request
                Duration wait = Duration.ofNanos((long) Math.ceil((chunk - took.left()) / perSecond * 1e9));
                here.emptyUntil = now + Math.max(1, wait.toMillis());
                return wait;
            }
            here.tokens = took.granted() - 1;
            here.until = now + HELD_FOR.toMillis();
            return Duration.ZERO;
        }
    }

    /** How many keys it keeps now (tests). */
    int kept() {
        return held.size();
    }
}
