package dev.weft.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cron expression read in a time zone: its fire times before and after an instant. Five fields (minute, hour,
 * day of month, month, day of week: Unix cron) or six (a second field first, as Spring and Quartz write it); parsed
 * by cron-utils, daylight-saving changes handled in the zone.
 */
public final class CronTimes {

    /** How many fire times are looked at when the shortest interval between two is checked. */
    static final int INTERVAL_SAMPLE = 200;
    private static final CronParser MINUTES = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser SECONDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime times;

    private CronTimes(String expression, ZoneId zone, ExecutionTime times) {
        this.expression = expression;
        this.zone = zone;
        this.times = times;
    }

    /** Why an expression or zone is refused, and which of the two it is ({@code cron} or {@code zone}). */
    public static final class Invalid extends IllegalArgumentException {
        private final String field;

        Invalid(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** Reads {@code expression} in {@code zone} (an IANA name such as {@code Europe/Paris}, or {@code UTC}). */
    public static CronTimes of(String expression, String zone) {
        ZoneId id = zone(zone);
        String text = expression == null ? "" : expression.trim().replaceAll("\\s+", " ");
        int fields = text.isEmpty() ? 0 : text.split(" ").length;
        if (fields != 5 && fields != 6) {
            throw new Invalid("cron", "must have 5 fields (minute hour day-of-month month day-of-week) or 6 (a"
                    + " second field first); got " + fields + " in '" + expression + "'");
        }
        Cron cron;
        try {
            cron = (fields == 5 ? MINUTES : SECONDS).parse(text).validate();
        } catch (IllegalArgumentException e) {
            throw new Invalid("cron", "is not a valid cron expression: " + e.getMessage());
        }
        return new CronTimes(text, id, ExecutionTime.forCron(cron));
    }

    /** The zone named {@code name}; {@link Invalid} (field {@code zone}) when there is no such IANA zone. */
    static ZoneId zone(String name) {
        if (name == null || name.isBlank()) throw new Invalid("zone", "is required: an IANA time zone such as UTC"
                + " or Europe/Paris");
        try {
            return ZoneId.of(name.trim());
        } catch (DateTimeException e) {
            throw new Invalid("zone", "'" + name + "' is not a time zone: name an IANA zone such as UTC,"
                    + " Europe/Paris or America/New_York");
        }
    }

    /**
     * Checks that the expression fires at all after {@code now}, and never twice within {@code minimum}: the
     * shortest gap among its next {@value #INTERVAL_SAMPLE} fire times.
     */
    public CronTimes requireInterval(Instant now, Duration minimum) {
        List<Instant> sample = next(now, INTERVAL_SAMPLE);
        if (sample.isEmpty()) throw new Invalid("cron", "'" + expression + "' never fires");
        for (int i = 1; i < sample.size(); i++) {
            Duration gap = Duration.between(sample.get(i - 1), sample.get(i));
            if (gap.compareTo(minimum) < 0) {
                throw new Invalid("cron", "'" + expression + "' fires every " + seconds(gap) + " at times (at "
                        + sample.get(i - 1) + " and " + sample.get(i) + "); a schedule may fire at most once every "
                        + seconds(minimum) + " (WEFT_SCHEDULE_MIN_INTERVAL)");
            }
        }
        return this;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /**
     * The first fire time strictly after {@code after}, if it ever fires again. Fire times are whole seconds:
     * cron-utils keeps the fraction of the instant it is given (a {@code * * * * * *} fires at x.264 after x.264),
     * so it is given whole seconds.
     */
    public Optional<Instant> next(Instant after) {
        Instant from = after.truncatedTo(ChronoUnit.SECONDS);
        return times.nextExecution(ZonedDateTime.ofInstant(from, zone))
                .map(at -> at.toInstant().truncatedTo(ChronoUnit.SECONDS)).filter(at -> at.isAfter(after));
    }

    /** The last fire time strictly before {@code before}, if any (a whole second). */
    public Optional<Instant> previous(Instant before) {
        Instant whole = before.truncatedTo(ChronoUnit.SECONDS);
        Instant from = whole.equals(before) ? whole : whole.plusSeconds(1);
        return times.lastExecution(ZonedDateTime.ofInstant(from, zone))
                .map(at -> at.toInstant().truncatedTo(ChronoUnit.SECONDS)).filter(at -> at.isBefore(before));
    }

    /** The first {@code count} fire times after {@code after} (fewer if it stops firing). */
    public List<Instant> next(Instant after, int count) {
        List<Instant> found = new ArrayList<>(count);
        Instant at = after;
        while (found.size() < count) {
            Optional<Instant> next = next(at);
            if (next.isEmpty()) break;
            at = next.get();
            found.add(at);
        }
        return found;
    }

    public ZoneId zone() {
        return zone;
    }

    public String expression() {
        return expression;
    }
}
