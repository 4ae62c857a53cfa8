package dev.weft.schedule;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/**
 * How often a schedule may fire at most: a cron expression with two fire times closer than {@code minInterval} is
 * refused at save. {@value #MIN_INTERVAL_ENV} sets it ({@code 10s} by default, at least {@code 1s}: a benchmark
 * of schedule accuracy uses 1-second schedules).
 */
public record ScheduleConfig(Duration minInterval) {

    public static final String MIN_INTERVAL_ENV = "WEFT_SCHEDULE_MIN_INTERVAL";
    public static final Duration MIN_INTERVAL_DEFAULT = Duration.ofSeconds(10);
    public static final Duration MIN_INTERVAL_FLOOR = Duration.ofSeconds(1);

    public ScheduleConfig {
        if (minInterval.compareTo(MIN_INTERVAL_FLOOR) < 0) {
            throw new IllegalArgumentException(MIN_INTERVAL_ENV + " must be at least 1s: " + minInterval);
        }
    }

    /** From the environment ({@code get} reads a variable): {@code 10s}, {@code 1m}, or ISO-8601 ({@code PT10S}). */
    public static ScheduleConfig from(Function<String, String> get) {
        String raw = get.apply(MIN_INTERVAL_ENV);
        if (raw == null || raw.isBlank()) return new ScheduleConfig(MIN_INTERVAL_DEFAULT);
        String text = raw.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith("ms")) return new ScheduleConfig(Duration.ofMillis(Long.parseLong(text.replace("ms", ""))));
            if (text.endsWith("s")) return new ScheduleConfig(Duration.ofSeconds(Long.parseLong(text.replace("s", ""))));
            if (text.endsWith("m")) return new ScheduleConfig(Duration.ofMinutes(Long.parseLong(text.replace("m", ""))));
            return new ScheduleConfig(Duration.parse(raw.trim().toUpperCase(Locale.ROOT)));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(MIN_INTERVAL_ENV + " is not a duration: '" + raw
                    + "' (write 10s, 1m or PT10S)");
        }
    }
}
