package dev.weft.auth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.LongSupplier;

/**
 * A token bucket per key: {@code perSecond} requests a second on average, up to {@code burst} at once. Kept in
 * memory, so each Weft process limits the requests it receives ({@link SharedRateLimiter} holds across processes).
 * Buckets that are full again mean no more than none, and are dropped once more than {@link #KEPT_MIN} keys (a
 * form's visitors' addresses) have piled up, so memory follows the keys in use, not every key ever seen.
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
    private final Sweeps sweeps = new Sweeps();

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
        sweeps.maybe(buckets, (k, b) -> {
            long now = nanoTime.getAsLong();
            return b.tokens + (now - b.refilledAt) / 1e9 * perSecond >= burst;
        });
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

    /** How many keys it keeps now (tests). */
    int kept() {
        return buckets.size();
    }

    /** Below this many keys nothing is swept. */
    static final int KEPT_MIN = 10_000;

    /**
     * Drops the entries that mean nothing any more once the map passes a mark, then sets the mark to twice what is
     * left (at least {@link #KEPT_MIN}), so a sweep costs a constant share of the takes however many keys are live. An
     * entry is checked under its own lock; a take holding one that is dropped at that moment may count once more.
     */
    static final class Sweeps {
        private final AtomicInteger mark = new AtomicInteger(KEPT_MIN);

        <T> void maybe(Map<String, T> entries, BiPredicate<String, T> idle) {
            int at = mark.get();
            if (entries.size() <= at || !mark.compareAndSet(at, Integer.MAX_VALUE)) return;
            try {
                entries.entrySet().removeIf(e -> {
                    synchronized (e.getValue()) {
                        return idle.test(e.getKey(), e.getValue());
                    }
                });
            } finally {
                mark.set(Math.max(KEPT_MIN, 2 * entries.size()));
            }
        }
    }
}
