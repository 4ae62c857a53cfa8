package dev.weft.run;

import dev.weft.callback.CallbackPolicy;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Settings of the run API beyond Scade's contract, from the environment: the per-key rate limit
 * ({@code WEFT_RATE_LIMIT} requests a second, 0 = off; {@code WEFT_RATE_BURST}), the per-flow concurrency limit
 * ({@code WEFT_FLOW_CONCURRENCY}, 0 = off; {@code WEFT_FLOW_CONCURRENCY_MODE}: {@code reject} refuses an execute
 * over it, {@code queue} accepts it and starts it when the flow has room), how completion callbacks are signed
 * ({@code WEFT_CALLBACK_SECRET}; default: made once and kept in the database) and retried
 * ({@code WEFT_CALLBACK_RETRY_FIRST}, {@code WEFT_CALLBACK_RETRY_MAX}, {@code WEFT_CALLBACK_GIVE_UP}), how
 * long idempotency keys are remembered, and how often the tasks that {@code ?wait} requests wait on are checked in
 * the database in case a notification of their finish was missed ({@code WEFT_WAIT_CHECK_EVERY}, default 5s).
 */
public record RunApiConfig(double rateLimit, int rateBurst, int flowConcurrency, boolean flowConcurrencyQueues,
                           CallbackPolicy callbacks, Duration idempotencyWindow, Duration waitCheckEvery) {

    public static final RunApiConfig DEFAULT = new RunApiConfig(0, 0, 0, false, CallbackPolicy.DEFAULT,
            Idempotency.WINDOW_DEFAULT, TaskWaits.SAFETY_NET_DEFAULT);

    /** The settings from environment variables, defaults where unset. */
    public static RunApiConfig fromEnvironment(Map<String, String> env) {
        Function<String, String> get = name -> {
            String value = env.get(name);
            return value == null || value.isBlank() ? null : value.trim();
        };
        double rate = number(get, "WEFT_RATE_LIMIT", 0);
        int burst = (int) number(get, "WEFT_RATE_BURST", Math.max(1, Math.ceil(rate)));
        int concurrency = (int) number(get, "WEFT_FLOW_CONCURRENCY", 0);
        String mode = get.apply("WEFT_FLOW_CONCURRENCY_MODE");
        if (mode != null && !mode.equalsIgnoreCase("reject") && !mode.equalsIgnoreCase("queue")) {
            throw new IllegalArgumentException("WEFT_FLOW_CONCURRENCY_MODE must be reject or queue (got '" + mode + "')");
        }
        CallbackPolicy callbacks = new CallbackPolicy(get.apply("WEFT_CALLBACK_SECRET"),
                duration(get, "WEFT_CALLBACK_RETRY_FIRST", CallbackPolicy.FIRST_RETRY_DEFAULT),
                duration(get, "WEFT_CALLBACK_RETRY_MAX", CallbackPolicy.MAX_RETRY_DEFAULT),
                duration(get, "WEFT_CALLBACK_GIVE_UP", CallbackPolicy.GIVE_UP_DEFAULT),
                duration(get, "WEFT_CALLBACK_TIMEOUT", CallbackPolicy.TIMEOUT_DEFAULT));
        Duration waitCheck = duration(get, "WEFT_WAIT_CHECK_EVERY", TaskWaits.SAFETY_NET_DEFAULT);
        if (waitCheck.isZero()) throw new IllegalArgumentException("WEFT_WAIT_CHECK_EVERY must be above 0");
        return new RunApiConfig(rate, burst, concurrency, "queue".equalsIgnoreCase(mode), callbacks,
                Idempotency.WINDOW_DEFAULT, waitCheck);
    }

    public RunApiConfig withRateLimit(double perSecond, int burst) {
        return new RunApiConfig(perSecond, burst, flowConcurrency, flowConcurrencyQueues, callbacks, idempotencyWindow,
                waitCheckEvery);
    }

    /** At most {@code max} tasks of a flow at once; over it, an execute is refused or ({@code queues}) waits. */
    public RunApiConfig withFlowConcurrency(int max, boolean queues) {
        return new RunApiConfig(rateLimit, rateBurst, max, queues, callbacks, idempotencyWindow, waitCheckEvery);
    }

    public RunApiConfig withCallbacks(CallbackPolicy policy) {
        return new RunApiConfig(rateLimit, rateBurst, flowConcurrency, flowConcurrencyQueues, policy, idempotencyWindow,
                waitCheckEvery);
    }

    /** How often the tasks waited on are checked in the database (the safety net under notifications). */
    public RunApiConfig withWaitCheckEvery(Duration every) {
        return new RunApiConfig(rateLimit, rateBurst, flowConcurrency, flowConcurrencyQueues, callbacks,
                idempotencyWindow, every);
    }

    private static double number(Function<String, String> get, String name, double fallback) {
        String raw = get.apply(name);
        if (raw == null) return fallback;
        try {
            double value = Double.parseDouble(raw);
            if (value >= 0 && !Double.isInfinite(value)) return value;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a number >= 0 (got '" + raw + "')");
    }

    private static Duration duration(Function<String, String> get, String name, Duration fallback) {
        String raw = get.apply(name);
        if (raw == null) return fallback;
        String t = raw.toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            switch (t.charAt(t.length() - 1)) {
                case 's': return Duration.ofSeconds(n);
                case 'm': return Duration.ofMinutes(n);
                case 'h': return Duration.ofHours(n);
                case 'd': return Duration.ofDays(n);
                default: break;
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a duration such as 500ms, 10s, 5m, 1h or 1d (got '"
                + raw + "')");
    }
}
