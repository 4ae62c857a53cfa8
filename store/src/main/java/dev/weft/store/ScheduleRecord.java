package dev.weft.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One schedule of a flow as stored: what it runs and when, and the cursor of its ticks.
 *
 * @param id        its id
 * @param flowId    the flow whose latest published version each tick runs
 * @param settings  the cron expression, zone, start inputs, enabled flag and catch-up policy
 * @param nextDue   the earliest fire time not yet handled (null while disabled)
 * @param createdAt when it was made
 * @param updatedAt when its settings last changed
 */
public record ScheduleRecord(long id, long flowId, Settings settings, Instant nextDue, Instant createdAt,
                             Instant updatedAt) {

    /** What a user sets on a schedule; checked by the API before it is stored. */
    public record Settings(String cron, String zone, JsonNode inputs, boolean enabled, String catchUp,
                           int catchUpLimit) {}

    /** One tick that ran: when it was due, the task it started (null only inside its claiming transaction). */
    public record Tick(long scheduleId, Instant dueAt, Long taskId, Instant claimedAt) {}
}
