package dev.weft.form;

import dev.weft.auth.PasswordHasher;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.event.TaskLookup;
import dev.weft.http.ApiException;
import dev.weft.http.Bodies;
import dev.weft.http.ClasspathFiles;
import dev.weft.json.Json;
import dev.weft.run.TaskWaits;
import dev.weft.store.FormRecord;
import dev.weft.store.JdbcFormStore;
import dev.weft.store.TaskRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The public side of hosted forms, for visitors without any credential: the page at {@code /forms/{token}}, its
 * fields ({@code form.json}), the password check that unlocks a locked form ({@code unlock}: a signed cookie for
 * that form only, {@link #UNLOCK_LIFETIME}), the submission that starts a task ({@code submit}, answered with a
 * random handle) and the task's progress and result, readable only with that handle. An unknown token, a deleted
 * form and a disabled one all answer the same 404.
 */
public final class PublicForms {

    public static final String PREFIX = "/forms/";
    /** How long a right password keeps a form open in that browser. */
    public static final Duration UNLOCK_LIFETIME = Duration.ofMinutes(30);
    /** The longest a result request waits for its task to finish before answering it unfinished. */
    public static final Duration WAIT_MAX = Duration.ofSeconds(25);
    static final String COOKIE = "weft_form";
    private static final String ASSETS = "/form-page/";

    private final PasswordHasher passwords;   // Argon2id, as users' passwords; older PBKDF2 hashes still match
    private final JdbcFormStore forms;
    private final FormFields fields;
    private final FormSubmissions submissions;
    private final FormLimits limits;
    private final TaskLookup lookup;
    private final TaskWaits waits;
    private final Clock clock;
    private final ClasspathFiles assets = new ClasspathFiles("/form-page", Map.of("Cache-Control", "no-cache",
            "X-Content-Type-Options", "nosniff"));

    /** What the public side reads tasks with: the lookup (this process's memory, then the store) and the waits. */
    public record Tasks(TaskLookup lookup, TaskWaits waits) {}

    public PublicForms(JdbcFormStore forms, FormFields fields, FormSubmissions submissions, FormLimits limits,
                       Tasks tasks, PasswordHasher passwords, Clock clock) {
        this.passwords = passwords;
        this.forms = forms;
        this.fields = fields;
        this.submissions = submissions;
        this.limits = limits;
        this.lookup = tasks.lookup();
        this.waits = tasks.waits();
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.get(ASSETS + "{file}", ctx -> assets.serve(ctx, ctx.pathParam("file")));
        routes.get(PREFIX + "{token}", this::page);
        routes.get(PREFIX + "{token}/form.json", this::form);
        routes.post(PREFIX + "{token}/unlock", this::unlock);
        routes.post(PREFIX + "{token}/submit", this::submit);
        routes.get(PREFIX + "{token}/results/{handle}", this::result);
    }

    private void page(Context ctx) {
        guard(ctx);
        FormRecord form;
        try {
            form = live(ctx);
            fields.of(form.flowId());   // a form whose flow was deleted is gone too
        } catch (ApiException e) {
            ctx.status(404).contentType("text/html; charset=utf-8").result(FormPage.missing());
            return;
        }
        ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' https: data: blob:; "
                + "media-src 'self' https:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
        ctx.contentType("text/html; charset=utf-8").result(FormPage.html(form));
    }

    private void form(Context ctx) {
        guard(ctx);
        FormRecord form = live(ctx);
        ObjectNode json = Json.object();
        json.put("title", form.title());
        json.put("description", form.description());
        boolean open = unlocked(ctx, form);
        json.put("locked", !open);
        if (open) json.set("fields", FormFields.json(fields.of(form.flowId())));
        ctx.json(json);
    }

    private void unlock(Context ctx) {
        guard(ctx);
        FormRecord form = live(ctx);
        if (!form.locked()) {
            ctx.status(204);
            return;
        }
        limits.unlock(form.id(), ctx.ip());
        JsonNode given = Bodies.object(ctx, false).get("password");
        if (given == null || !given.isTextual() || given.asText().isEmpty()) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "password", "is required");
        }
        if (!passwords.matches(given.asText(), form.password())) {
            throw new ApiException(ApiException.Kind.UNAUTHORIZED, "password", "is not this form's password");
        }
        Instant expires = clock.instant().plus(UNLOCK_LIFETIME);
        ctx.header("Set-Cookie", COOKIE + "=" + FormSecrets.cookie(form, expires) + "; Path=" + PREFIX
                + form.token() + "; Max-Age=" + UNLOCK_LIFETIME.toSeconds() + "; HttpOnly; SameSite=Strict"
                + ("https".equals(ctx.scheme()) ? "; Secure" : ""));
        ctx.status(204);
    }

    private void submit(Context ctx) {
        guard(ctx);
        FormRecord form = live(ctx);
        if (!unlocked(ctx, form)) {
            throw new ApiException(ApiException.Kind.UNAUTHORIZED, "password", "this form needs its password first");
        }
        limits.submit(form.id(), ctx.ip());
        String handle = submissions.submit(form, ctx);
        ObjectNode json = Json.object();
        json.put("handle", handle);
        json.put("result_url", PREFIX + form.token() + "/results/" + handle);
        ctx.status(202).json(json);
    }

    private void result(Context ctx) {
        guard(ctx);
        FormRecord form = live(ctx);
        String handle = ctx.pathParam("handle");
        TaskRecord task = forms.submittedTask(form.id(), FormSecrets.digest(handle)).flatMap(lookup::lookup)
                .orElseThrow(() -> new ApiException(ApiException.Kind.NOT_FOUND, "handle",
                        "no submission of this form has this handle"));
        Duration wait = waitParam(ctx);
        if (wait.isZero() || task.state().finished()) {
            ctx.json(outcome(task));
            return;
        }
        ctx.future(() -> waits.await(task.id(), wait).thenAccept(now -> ctx.json(outcome(now))));
    }

    /** What a visitor sees of a task: its state and, once finished, its result or its error's message. */
    static ObjectNode outcome(TaskRecord task) {
        ObjectNode json = Json.object();
        json.put("state", task.state().word());
        json.put("finished", task.state().finished());
        json.set("result", task.result());
        if (task.error() != null) json.putObject("error").put("message", task.error().message());
        else json.putNull("error");
        return json;
    }

    private Duration waitParam(Context ctx) {
        String raw = ctx.queryParam("wait");
        if (raw == null || raw.isBlank()) return Duration.ZERO;
        double seconds;
        try {
            seconds = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new ApiException(ApiException.Kind.INVALID_INPUT, "wait", "must be a number of seconds from 0 to "
                    + WAIT_MAX.toSeconds());
        }
        Duration wait = Duration.ofMillis((long) (seconds * 1000));
        return wait.compareTo(WAIT_MAX) > 0 ? WAIT_MAX : wait;
    }

    /** The enabled form the path's token names; 404 otherwise, the same whatever the reason. */
    private FormRecord live(Context ctx) {
        String token = ctx.pathParam("token");
        return forms.byToken(token).filter(FormRecord::enabled).orElseThrow(FormFields::gone);
    }

    private boolean unlocked(Context ctx, FormRecord form) {
        return !form.locked() || FormSecrets.unlocks(form, ctx.cookie(COOKIE), clock.instant());
    }

    /** Headers every public answer carries: the token is in the URL, so no page it links to may see it. */
    private static void guard(Context ctx) {
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Robots-Tag", "noindex");
        if (ctx.method().name().toUpperCase(Locale.ROOT).equals("GET")) ctx.header("X-Frame-Options", "DENY");
    }
}
