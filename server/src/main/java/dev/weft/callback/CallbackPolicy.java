package dev.weft.callback;

import java.time.Duration;

/** How completion callbacks are delivered (set by {@code WEFT_CALLBACK_*}): exponential backoff from {@code firstRetry} up to {@code maxRetry}. */
public record CallbackPolicy(String secret, Duration firstRetry, Duration maxRetry, Duration giveUpAfter,
                             Duration timeout) {

    public static final Duration FIRST_RETRY_DEFAULT = Duration.ofSeconds(10);
    public static final Duration MAX_RETRY_DEFAULT = Duration.ofHours(1);
    public static final Duration GIVE_UP_DEFAULT = Duration.ofDays(1);
    public static final Duration TIMEOUT_DEFAULT = Duration.ofSeconds(10);

    public static final CallbackPolicy DEFAULT = new CallbackPolicy(null, FIRST_RETRY_DEFAULT, MAX_RETRY_DEFAULT,
            GIVE_UP_DEFAULT, TIMEOUT_DEFAULT);

    /** The wait after failed attempt {@code attempt} (1, 2, ...): doubling from the first, capped. */
    public Duration backoff(int attempt) {
        Duration wait = firstRetry.multipliedBy(1L << Math.min(30, Math.max(0, attempt - 1)));
        return wait.compareTo(maxRetry) > 0 || wait.isNegative() ? maxRetry : wait;
    }

    public CallbackPolicy withRetries(Duration first, Duration max) {
        return new CallbackPolicy(secret, first, max, giveUpAfter, timeout);
    }

    public CallbackPolicy withSecret(String secret) {
        return new CallbackPolicy(secret, firstRetry, maxRetry, giveUpAfter, timeout);
    }
}
