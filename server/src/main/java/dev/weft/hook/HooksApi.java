package dev.weft.hook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.auth.Caller;
import dev.weft.auth.RateLimit;
import dev.weft.auth.RateLimits;
import dev.weft.http.ApiException;
import dev.weft.http.TaskJson;
import dev.weft.node.Credentials;
import dev.weft.run.Executions;
import dev.weft.run.TaskAnswers;
import dev.weft.store.Accepted;
import dev.weft.store.JdbcWebhookStore;
import dev.weft.store.WebhookRecord;
import dev.weft.node.Problems;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code POST /hooks/{token}}: a webhook request starts its flow. In order: the token (404 when unknown or revoked,
 * alike), the webhook's rate limit (429 with {@code Retry-After}), its body limit (413), the signature (401), the
 * inputs (the mapping; 415 or 400), then the task through the intake as an execute's (inputs checked against the
 * start node: 400 naming the field), its mark and the delivery's replay key committed with it (a replay: 409).
 * Nothing is stored for a refused request. The answer is the task, Scade-shaped: 202 at once, or with the wait
 * mode the result when it is done in time (200), else 202.
 */
public final class HooksApi {

    public static final String PATH = "/hooks/{token}";
    private static final Logger log = LoggerFactory.getLogger(HooksApi.class);

    private final Webhooks webhooks;
    private final Credentials credentials;
    private final Executions executions;
    private final TaskAnswers answers;
    private final Clock clock;
    private final Limits limits;
    private final RateLimits rateLimits;
    private final Map<String, RateLimit> limiters = new ConcurrentHashMap<>();
    private final Map<String, WebhookSettings> parsed = new ConcurrentHashMap<>();

    /** The server's own limits: its body limit (a webhook's may only be lower) and the longest wait it allows. */
    public record Limits(long bodyCap, Duration waitMax) {}

    public HooksApi(Webhooks webhooks, Credentials credentials, Executions executions, TaskAnswers answers,
                    Clock clock, Limits limits, RateLimits rateLimits) {
        this.webhooks = webhooks;
        this.rateLimits = rateLimits;
        this.credentials = credentials;
        this.executions = executions;
        this.answers = answers;
        this.clock = clock;
        this.limits = limits;
    }

    public void register(RoutesConfig routes) {
        routes.post(PATH, this::receive);
    }

    private void receive(Context ctx) {
        WebhookRecord webhook = webhooks.live(ctx.pathParam("token")).orElseThrow(() ->
                new ApiException(ApiException.Kind.NOT_FOUND, "token", "no webhook has this token"));
        MDC.put("flow_id", String.valueOf(webhook.flowId()));
        WebhookSettings settings = settings(webhook);
        limit(webhook, settings.rateLimit());
        long declared = ctx.contentLength();
        if (declared > settings.maxBodyBytes()) throw tooLarge(settings);
        byte[] body = ctx.bodyAsBytes();
        if (body.length > settings.maxBodyBytes()) throw tooLarge(settings);
        Optional<String> delivery = Optional.empty();
        if (settings.signature().isPresent()) {
            SignatureCheck check = settings.signature().get();
            delivery = check.verify(new HookRequest(body, ctx::header), secret(webhook, check), clock.instant());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : ctx.headerMap().keySet()) headers.put(name, ctx.header(name));
        ObjectNode inputs = HookInputs.inputs(settings.mapping().orElse(null), body, ctx.header("Content-Type"),
                ctx.queryParamMap(), headers);
        Duration window = settings.signature().map(SignatureCheck::replayWindow).orElse(Duration.ZERO);
        JdbcWebhookStore.Mark mark = webhooks.store().mark(webhook.id(), delivery.orElse(null), window);
        Accepted accepted = executions.triggerWithInputs(webhook.flowId(), inputs, Caller.ADMIN, mark);
        if (mark.replayed()) {
            throw new ApiException(ApiException.Kind.CONFLICT, "delivery", "this delivery was accepted already (task "
                    + accepted.task().id() + "); a replayed delivery starts nothing");
        }
        MDC.put("task_id", String.valueOf(accepted.task().id()));
        if (!settings.answer().waits()) {
            ObjectNode json = TaskJson.task(accepted.task());
            trigger(json, webhook);
            ctx.status(202).json(json);
            return;
        }
        Duration wait = settings.answer().waitFor();
        answers.answer(ctx, accepted.task(), wait.compareTo(limits.waitMax()) > 0 ? limits.waitMax() : wait,
                json -> trigger(json, webhook));
    }

    /** The webhook's settings, read once per change (reading checks the mapping, which parses it). */
    private WebhookSettings settings(WebhookRecord webhook) {
        String key = webhook.id() + "@" + webhook.updatedAt().toEpochMilli();
        WebhookSettings cached = parsed.get(key);
        if (cached != null) return cached;
        if (parsed.size() > 10_000) parsed.clear();
        WebhookSettings read = WebhookSettings.read(webhook.settings(), limits.bodyCap(), new Problems());
        parsed.put(key, read);
        return read;
    }

    /** Marks a task's JSON with the webhook that started it. */
    static void trigger(ObjectNode json, WebhookRecord webhook) {
        json.putObject("trigger").put("kind", "webhook").put("id", webhook.id());
    }

    private void limit(WebhookRecord webhook, WebhookSettings.RateLimit rate) {
        RateLimit limiter = limiters.computeIfAbsent(webhook.id() + "@" + rate.perSecond() + "/" + rate.burst(),
                k -> rateLimits.of("webhook:", rate.perSecond(), rate.burst()));
        Duration wait = limiter.take(webhook.id());
        if (!wait.isZero()) {
            throw new ApiException(ApiException.Kind.RATE_LIMITED, "token", "this webhook takes at most "
                    + rate.perSecond() + " requests a second (bursts of " + rate.burst() + "); try again in "
                    + Math.max(1, wait.toMillis()) + " ms").retryAfter(wait);
        }
    }

    /** The shared secret, from the credential the check names; a missing one refuses the request (logged). */
    private byte[] secret(WebhookRecord webhook, SignatureCheck check) {
        // the flow's workspace's credential of that name (issue 15: each workspace has its own)
        Optional<Credentials.Credential> credential = credentials instanceof dev.weft.store.JdbcCredentialStore store
                ? store.findForFlow(webhook.flowId(), check.secretCredential()) : credentials.find(check.secretCredential());
        if (credential.isEmpty() || !credential.get().type().isToken() || credential.get().secret().isEmpty()) {
            log.warn("webhook {} of flow {} names credential '{}', which is missing or not an api_key/bearer: its "
                    + "requests are refused", webhook.id(), webhook.flowId(), check.secretCredential());
            throw SignatureCheck.refused("signature", "the webhook cannot check signatures: its secret is missing "
                    + "(the server's log says more)");
        }
        return credential.get().secret().getBytes(StandardCharsets.UTF_8);
    }

    private static ApiException tooLarge(WebhookSettings settings) {
        return new ApiException(ApiException.Kind.TOO_LARGE, "body", "this webhook takes bodies of at most "
                + settings.maxBodyBytes() + " bytes");
    }
}
