package dev.weft.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.auth.Callers;
import dev.weft.flow.InvalidFlowException;
import dev.weft.http.ApiException;
import dev.weft.http.Bodies;
import dev.weft.json.Json;
import dev.weft.node.Problem;
import dev.weft.run.Executions;
import dev.weft.store.JdbcFlowStore;
import dev.weft.store.JdbcScheduleStore;
import dev.weft.store.ScheduleRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The management API of schedules (admin): a flow's schedules under {@code /api/v1/flows/{id}/schedules} (list,
 * create, read, change, delete), every schedule at {@code /api/v1/schedules}, and a preview of an expression's
 * fire times. Each answer shows the next {@link #NEXT_RUNS} fire times and the last tick. A schedule is checked
 * whole before anything is stored: its cron expression, zone, catch-up policy, and its inputs against the start
 * node of the flow's latest published version (which must exist).
 */
public final class SchedulesApi {

    public static final String PATH = "/api/v1/schedules";
    /** How many next fire times an answer shows. */
    public static final int NEXT_RUNS = 5;
    public static final String ZONE_DEFAULT = "UTC";
    public static final int CATCH_UP_LIMIT_DEFAULT = 10;

    private final JdbcScheduleStore schedules;
    private final JdbcFlowStore flows;
    private final Executions executions;
    private final Callers callers;
    private final Clock clock;
    private final Duration minInterval;
    private final Runnable changed;

    /** {@code changed} is told of every change (the scheduler wakes up); {@code minInterval}: see {@link ScheduleConfig}. */
    public SchedulesApi(JdbcScheduleStore schedules, JdbcFlowStore flows, Executions executions, Callers callers,
                        Clock clock, Duration minInterval, Runnable changed) {
        this.schedules = schedules;
        this.flows = flows;
        this.executions = executions;
        this.callers = callers;
        this.clock = clock;
        this.minInterval = minInterval;
        this.changed = changed;
    }

    public void register(RoutesConfig routes) {
        String ofFlow = "/api/v1/flows/{flow_id}/schedules";
        routes.before(PATH + "*", ctx -> callers.require(ctx, Callers.Scope.ADMIN));   // flows/* have theirs
        routes.get(ofFlow, this::list);
        routes.post(ofFlow, this::create);
        routes.get(ofFlow + "/{schedule_id}", ctx -> ctx.json(json(find(ctx))));
        routes.put(ofFlow + "/{schedule_id}", this::update);
        routes.delete(ofFlow + "/{schedule_id}", this::delete);
        routes.get(PATH, this::all);
        routes.get(PATH + "/preview", this::preview);
    }

    private void list(Context ctx) {
        long flowId = id(ctx, "flow_id");
        if (flows.latestVersionGuess(flowId).isEmpty()) throw flowGone(flowId);
        answer(ctx, schedules.ofFlow(flowId));
    }

    private void all(Context ctx) {
        answer(ctx, schedules.all());
    }

    private void answer(Context ctx, List<ScheduleRecord> found) {
        ObjectNode json = Json.object();
        ArrayNode list = json.putArray("schedules");
        for (ScheduleRecord schedule : found) list.add(json(schedule));
        ctx.json(json);
    }

    private void create(Context ctx) {
        long flowId = id(ctx, "flow_id");
        ScheduleRecord.Settings settings = settings(flowId, Bodies.object(ctx, false));
        Instant next = settings.enabled() ? first(settings) : null;
        ScheduleRecord made = schedules.create(flowId, settings, next).orElseThrow(() -> flowGone(flowId));
        changed.run();
        ctx.status(201).header("Location", "/api/v1/flows/" + flowId + "/schedules/" + made.id()).json(json(made));
    }

    private void update(Context ctx) {
        ScheduleRecord before = find(ctx);
        ScheduleRecord.Settings settings = settings(before.flowId(), Bodies.object(ctx, false));
        ScheduleRecord.Settings was = before.settings();
        boolean sameTimes = settings.cron().equals(was.cron()) && settings.zone().equals(was.zone())
                && was.enabled() && before.nextDue() != null;
        // the same times keep the cursor (no tick is skipped or repeated); new times start from now
        Instant next = !settings.enabled() ? null : sameTimes ? before.nextDue() : first(settings);
        ScheduleRecord after = schedules.update(before.flowId(), before.id(), settings, next)
                .orElseThrow(() -> notFound(before.flowId(), before.id()));
        changed.run();
        ctx.json(json(after));
    }

    private void delete(Context ctx) {
        ScheduleRecord found = find(ctx);
        if (!schedules.delete(found.flowId(), found.id())) throw notFound(found.flowId(), found.id());
        changed.run();
        ctx.status(204);
    }

    /** The next fire times of {@code ?cron=} in {@code ?zone=}, checked as a save checks them (for the editor). */
    private void preview(Context ctx) {
        String zone = ctx.queryParam("zone");
        CronTimes times = times(ctx.queryParam("cron"), zone == null || zone.isBlank() ? ZONE_DEFAULT : zone);
        ObjectNode json = Json.object();
        json.put("cron", times.expression());
        json.put("zone", times.zone().getId());
        nextRuns(json, times);
        ctx.json(json);
    }

    private ScheduleRecord find(Context ctx) {
        long flowId = id(ctx, "flow_id");
        long id = id(ctx, "schedule_id");
        return schedules.find(flowId, id).orElseThrow(() -> notFound(flowId, id));
    }

    /** The request's settings, every field checked; the inputs against the flow's latest published version. */
    private ScheduleRecord.Settings settings(long flowId, ObjectNode body) {
        String cron = text(body, "cron", null);
        String zone = text(body, "zone", ZONE_DEFAULT);
        CronTimes times = times(cron, zone);
        String catchUp = text(body, "catch_up", CatchUp.SKIP.word());
        if (CatchUp.of(catchUp).isEmpty()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "catch_up", "must be \"skip\" (missed ticks do"
                    + " not run), \"once\" (one run for all of them) or \"all\" (each, up to catch_up_limit)");
        }
        int limit = CATCH_UP_LIMIT_DEFAULT;
        JsonNode givenLimit = body.get("catch_up_limit");
        if (givenLimit != null && !givenLimit.isNull()) {
            if (!givenLimit.isIntegralNumber() || givenLimit.asLong() < 1 || givenLimit.asLong() > CatchUp.LIMIT_MAX) {
                throw new ApiException(ApiException.Kind.INVALID_INPUT, "catch_up_limit",
                        "must be a whole number from 1 to " + CatchUp.LIMIT_MAX);
            }
            limit = givenLimit.asInt();
        }
        JsonNode enabled = body.get("enabled");
        if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "enabled", "must be true or false");
        }
        JsonNode inputs = body.get("inputs");
        if (inputs == null || inputs.isNull()) inputs = Json.object();
        if (!inputs.isObject()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "inputs",
                    "must be an object of the start node's inputs, as an execute's node_settings.<start>.data");
        }
        checkInputs(flowId, (ObjectNode) inputs);
        return new ScheduleRecord.Settings(times.expression(), times.zone().getId(), inputs,
                enabled == null || enabled.isNull() || enabled.asBoolean(), catchUp, limit);
    }

    private CronTimes times(String cron, String zone) {
        if (cron == null || cron.isBlank()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "cron", "is required: a cron expression such as"
                    + " \"0 9 * * 1-5\" (9:00 on weekdays) or, with seconds, \"*/30 * * * * *\"");
        }
        try {
            return CronTimes.of(cron, zone).requireInterval(clock.instant(), minInterval);
        } catch (CronTimes.Invalid e) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, e.field(), e.getMessage());
        }
    }

    /** The inputs as a tick would send them, checked now; the problems are named {@code inputs.<name>}. */
    private void checkInputs(long flowId, ObjectNode inputs) {
        try {
            executions.latestTask(flowId, inputs);
        } catch (InvalidFlowException e) {
            List<Problem> named = new ArrayList<>();
            for (Problem problem : e.problems()) {
                named.add(new Problem(problem.field().replaceFirst("^node_settings\\.[^.]+\\.data", "inputs"),
                        problem.message()));
            }
            throw new InvalidFlowException("the schedule's inputs do not fit the flow's start node", named);
        }
    }

    private Instant first(ScheduleRecord.Settings settings) {
        return CronTimes.of(settings.cron(), settings.zone()).next(clock.instant())
                .orElseThrow(() -> new ApiException(ApiException.Kind.INVALID_INPUT, "cron", "never fires again"));
    }

    private ObjectNode json(ScheduleRecord schedule) {
        ScheduleRecord.Settings settings = schedule.settings();
        ObjectNode json = Json.object();
        json.put("id", schedule.id());
        json.put("flow_id", schedule.flowId());
        json.put("cron", settings.cron());
        json.put("zone", settings.zone());
        json.set("inputs", settings.inputs());
        json.put("enabled", settings.enabled());
        json.put("catch_up", settings.catchUp());
        json.put("catch_up_limit", settings.catchUpLimit());
        CronTimes times = CronTimes.of(settings.cron(), settings.zone());
        if (schedule.nextDue() == null) json.putNull("next_due");
        else json.put("next_due", format(times, schedule.nextDue()));
        nextRuns(json, times);
        ObjectNode last = json.putObject("last_tick");
        schedules.lastTick(schedule.id()).ifPresentOrElse(tick -> {
            last.put("due_at", format(times, tick.dueAt()));
            if (tick.taskId() == null) last.putNull("task_id");
            else last.put("task_id", tick.taskId());
            last.put("claimed_at", tick.claimedAt().toString());
        }, () -> json.putNull("last_tick"));
        json.put("created_at", schedule.createdAt().toString());
        json.put("updated_at", schedule.updatedAt().toString());
        return json;
    }

    private void nextRuns(ObjectNode json, CronTimes times) {
        ArrayNode runs = json.putArray("next_runs");
        for (Instant at : times.next(clock.instant(), NEXT_RUNS)) runs.add(format(times, at));
    }

    /** An instant as ISO-8601 with the schedule zone's offset ({@code 2026-12-07T09:00:00+01:00}). */
    static String format(CronTimes times, Instant at) {
        return ZonedDateTime.ofInstant(at, times.zone()).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    private static String text(ObjectNode body, String field, String fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) return fallback;
        if (!value.isTextual()) throw new ApiException(ApiException.Kind.INVALID_INPUT, field, "must be a string");
        return value.asText();
    }

    private static long id(Context ctx, String name) {
        try {
            long id = Long.parseLong(ctx.pathParam(name));
            if (id > 0) return id;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ApiException(ApiException.Kind.NOT_FOUND, name, "no such " + name.replace("_id", "") + ": '"
                + ctx.pathParam(name) + "'");
    }

    private static ApiException notFound(long flowId, long id) {
        return new ApiException(ApiException.Kind.NOT_FOUND, "schedule_id", "flow " + flowId + " has no schedule "
                + id);
    }

    private static ApiException flowGone(long flowId) {
        return new ApiException(ApiException.Kind.NOT_FOUND, "flow_id", "flow " + flowId + " does not exist");
    }
}
