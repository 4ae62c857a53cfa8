package dev.weft.server;

import dev.weft.store.JdbcTaskStore;
import dev.weft.store.Retention;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How this process shares tasks with others: the database (null: the embedded one in the data folder), its
 * {@link Role}, how long a claimed task's lease lasts without a heartbeat, how long finished tasks are kept (null:
 * forever), and how long a graceful stop (SIGTERM) lets running tasks finish before giving them back.
 */
public record ClusterConfig(String dbUrl, Role role, Duration lease, Duration retention, Duration shutdownGrace) {

    public static final Duration SHUTDOWN_GRACE_DEFAULT = Duration.ofSeconds(15);
    public static final Duration LEASE_MIN = Duration.ofSeconds(1);
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    public ClusterConfig {
        if (role == null) role = Role.ALL;
        if (lease.compareTo(LEASE_MIN) < 0) throw new IllegalArgumentException("the lease must be at least 1s: " + lease);
        if (shutdownGrace.isNegative()) throw new IllegalArgumentException("the shutdown grace cannot be negative");
    }

    public static ClusterConfig defaults() {
        return new ClusterConfig(null, Role.ALL, JdbcTaskStore.LEASE_DEFAULT, Retention.KEEP_DEFAULT,
                SHUTDOWN_GRACE_DEFAULT);
    }

    public ClusterConfig withDbUrl(String dbUrl) {
        return new ClusterConfig(dbUrl, role, lease, retention, shutdownGrace);
    }

    public ClusterConfig withRole(Role role) {
        return new ClusterConfig(dbUrl, role, lease, retention, shutdownGrace);
    }

    public ClusterConfig withLease(Duration lease) {
        return new ClusterConfig(dbUrl, role, lease, retention, shutdownGrace);
    }

    public ClusterConfig withRetention(Duration retention) {
        return new ClusterConfig(dbUrl, role, lease, retention, shutdownGrace);
    }

    public ClusterConfig withShutdownGrace(Duration shutdownGrace) {
        return new ClusterConfig(dbUrl, role, lease, retention, shutdownGrace);
    }

    /** A duration written as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 12h}, {@code 7d} or ISO-8601 ({@code PT30S}). */
    public static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (write 30s, 5m, 12h, 7d or PT30S)");
        }
    }

    /** A retention age, or null for {@code off} (finished tasks are kept forever). */
    public static Duration retention(String text) {
        return "off".equalsIgnoreCase(text.trim()) ? null : duration(text);
    }
}
