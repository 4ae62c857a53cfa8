package dev.weft.flow;

import java.time.Duration;

/** How a node's steps are run: time limit per attempt, retries with exponential backoff, failure handling. */
public record NodePolicy(Duration timeout, int maxAttempts, Duration backoff, double backoffFactor, OnError onError) {

    public static final Duration TIMEOUT_DEFAULT = Duration.ofSeconds(60);
    public static final Duration BACKOFF_DEFAULT = Duration.ofMillis(500);
    public static final double FACTOR_DEFAULT = 2.0;
    public static final Duration BACKOFF_MAX = Duration.ofMinutes(10);
    public static final NodePolicy DEFAULT = new NodePolicy(TIMEOUT_DEFAULT, 1, BACKOFF_DEFAULT, FACTOR_DEFAULT, OnError.FAIL);

    /** The wait before attempt {@code nextAttempt} (2, 3, ...), capped at {@link #BACKOFF_MAX}. */
    public Duration backoffBefore(int nextAttempt) {
        double millis = backoff.toMillis() * Math.pow(backoffFactor, Math.max(0, nextAttempt - 2));
        return millis >= BACKOFF_MAX.toMillis() ? BACKOFF_MAX : Duration.ofMillis((long) millis);
    }
}
