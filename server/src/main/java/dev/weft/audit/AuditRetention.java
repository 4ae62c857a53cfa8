package dev.weft.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop that keeps the audit log to its retention ({@code WEFT_AUDIT_RETENTION_DAYS}, default
 * {@value #DAYS_DEFAULT}) and forgets sessions that ended; {@link #runOnce()} is one pass, for tests.
 */
public final class AuditRetention implements AutoCloseable {

    public static final int DAYS_DEFAULT = 365;
    public static final Duration EVERY = Duration.ofHours(1);
    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

    private final Audit audit;
    private final Duration keep;
    private final IntSupplier pruneSessions;
    private final Clock clock;
    private ScheduledExecutorService loop;

    public AuditRetention(Audit audit, Duration keep, IntSupplier pruneSessions, Clock clock) {
        this.audit = audit;
        this.keep = keep;
        this.pruneSessions = pruneSessions;
        this.clock = clock;
    }

    /** How long entries are kept: {@code WEFT_AUDIT_RETENTION_DAYS} (a whole number of days, at least 1). */
    public static Duration keep(Function<String, String> env) {
        String value = env.apply("WEFT_AUDIT_RETENTION_DAYS");
        if (value == null || value.isBlank()) return Duration.ofDays(DAYS_DEFAULT);
        try {
            long days = Long.parseLong(value.trim());
            if (days >= 1) return Duration.ofDays(days);
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("WEFT_AUDIT_RETENTION_DAYS must be a whole number of days, at least 1 (got '"
                + value + "')");
    }

    /** Starts the loop on its own daemon thread: a pass now, then every {@link #EVERY}. */
    public AuditRetention start() {
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "weft-audit-retention");
            thread.setDaemon(true);
            return thread;
        });
        loop.scheduleWithFixedDelay(() -> {
            try {
                runOnce();
            } catch (RuntimeException e) {
                log.warn("audit retention pass failed; trying again in {}", EVERY, e);
            }
        }, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One pass: entries older than the retention go, and so do ended sessions; how many entries went. */
    public int runOnce() {
        int deleted = audit.log().deleteBefore(clock.instant().minus(keep));
        pruneSessions.getAsInt();
        if (deleted > 0) log.info("audit retention removed {} entries older than {} days", deleted, keep.toDays());
        return deleted;
    }

    @Override
    public void close() {
        if (loop != null) loop.shutdownNow();
    }
}
