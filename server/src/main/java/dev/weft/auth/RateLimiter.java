package dev.weft.auth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per key: {@code perSecond} requests a second on average, up to {@code burst} at once. Kept in
 * memory, so each Weft process limits the requests it receives ({@link SharedRateLimiter} holds across processes).
 */
public final class RateLimiter implements RateLimit {

    private static final class Bucket {
        double tokens;
        long refilledAt;
    }

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** {@code perSecond <= 0} turns limiting off. */
    public RateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
        this.nanoTime = nanoTime;
    }

    @Override
    public boolean enabled() {
        return perSecond > 0;
    }

    @Override
    public Duration take(String key) {
        if (!enabled()) return Duration.ZERO;
        Bucket bucket = buckets.computeIfAbsent(key, k -> {
            Bucket fresh = new Bucket();
            fresh.tokens = burst;
            fresh.refilledAt = nanoTime.getAsLong();
            return fresh;
        });
        synchronized (bucket) {
            long now = nanoTime.getAsLong();
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAt) / 1e9 * perSecond);
            bucket.refilledAt = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return Duration.ZERO;
            }
            return Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / perSecond * 1e9));
        }
    }
}
