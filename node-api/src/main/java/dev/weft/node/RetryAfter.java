package dev.weft.node;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} header (RFC 9110): a number of seconds, or an HTTP date. For nodes that call a
 * rate-limited service and wait as it asks before trying again.
 */
public final class RetryAfter {

    private RetryAfter() {}

    /**
     * How long the server asks to wait, or empty when the header is missing or unreadable.
     *
     * @param header the header's value, if the response had one
     * @param now the current time, against which an HTTP date is measured
     * @return the wait (zero for a date already past), or empty
     */
    public static Optional<Duration> parse(Optional<String> header, Instant now) {
        if (header.isEmpty()) return Optional.empty();
        String value = header.get().trim();
        try {
            double seconds = Double.parseDouble(value);
            return seconds < 0 || Double.isNaN(seconds) ? Optional.empty()
                    : Optional.of(Duration.ofMillis((long) Math.ceil(seconds * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }
}
