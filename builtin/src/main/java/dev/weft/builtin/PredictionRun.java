package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.concurrent.Causes;
import dev.weft.engine.Timer;
import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.node.RetryAfter;
import dev.weft.task.ErrorTypes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;

/**
 * One attempt of a {@code model} step: creates the prediction, then asks for its state on the timer (500 ms, then
 * twice as long each time, at most {@link #POLL_MAX} apart) until it ends, and stores its output's files. No thread
 * is held while the prediction runs; reading the step's files in and out runs on the node pool. When the attempt
 * ends before the prediction (the time limit, a cancelled task), the prediction is cancelled, best-effort.
 *
 * <p>The created prediction is recorded in the step's journal ({@value #JOURNAL_KEY}{@code <attempt>}: its id and
 * urls) before it is followed, so a step resumed after a crash reads that prediction again rather than paying for a
 * second one; a later attempt (a retry) whose recorded prediction ended failed or cancelled creates a new one.
 */
final class PredictionRun {

    static final Duration POLL_FIRST = Duration.ofMillis(500);
    static final Duration POLL_MAX = Duration.ofSeconds(5);
    /** How long a cancel request may take; nobody waits for it. */
    static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(10);
    static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled");
    /** The journal entry of the prediction an attempt created: {@code prediction:<attempt>}. */
    static final String JOURNAL_KEY = "prediction:";

    /** What every prediction of a node runs on. */
    record Wire(HttpClient client, AddressGuard guard, long maxResponseBytes, Timer timer, Clock clock, FlowRuns runs,
                PredictionFiles files) {}

    private final NodeCall call;
    private final ModelSettings settings;
    private final String secret;
    private final Wire wire;
    private final long deadline;
    private final CompletableFuture<NodeOutput> answer = new CompletableFuture<>();
    /** What stops the work in flight when the attempt ends: the HTTP exchange, the next poll's timer entry. */
    private final Queue<Runnable> stops = new ConcurrentLinkedQueue<>();
    /** The prediction once created, and whether it ended: a prediction left running is cancelled. */
    private volatile JsonNode created;
    private volatile boolean ended;

    PredictionRun(NodeCall call, ModelSettings settings, String secret, Wire wire) {
        this.call = call;
        this.settings = settings;
        this.secret = secret;
        this.wire = wire;
        this.deadline = System.nanoTime() + settings.timeout().toNanos();
    }

    CompletableFuture<NodeOutput> start() {
        Runnable limit = wire.timer().schedule(wire.clock().instant().plus(settings.timeout()), () ->
                answer.completeExceptionally(new NodeException(ErrorTypes.TIMEOUT, settings.name()
                        + " did not finish within " + settings.timeout().toMillis() + " ms (the step's timeout_ms);"
                        + " the prediction was cancelled", true)));
        answer.whenComplete((done, error) -> {
            limit.run();
            for (Runnable stop; (stop = stops.poll()) != null; ) stop.run();
            JsonNode prediction = created;
            if (prediction != null && !ended) cancel(prediction);
        });
        JsonNode recorded = latestRecorded();
        (recorded != null ? resume(recorded) : createNew())
                .thenCompose(prediction -> follow(prediction, 0))
                .whenComplete((output, error) -> {
                    if (error != null) answer.completeExceptionally(Causes.unwrap(error));
                    else answer.complete(output);
                });
        return answer;
    }

    private <T> CompletableFuture<T> blocking(java.util.function.Supplier<T> work) {
        CompletableFuture<T> done = new CompletableFuture<>();
        wire.runs().setUp(done, () -> done.complete(work.get()));
        return done;
    }

    private void onStop(Runnable stop) {
        stops.add(stop);
        if (answer.isDone() && stops.remove(stop)) stop.run();
    }

    // ---- the prediction's life ----

    private CompletionStage<JsonNode> createNew() {
        return blocking(() -> wire.files().inline(settings.input(), settings.inlineMaxBytes())).thenCompose(this::create);
    }

    /** The prediction an earlier attempt of this step (or this attempt, before a restart) created, if any. */
    private JsonNode latestRecorded() {
        JsonNode latest = null;
        for (Map.Entry<String, JsonNode> entry : call.journal().recorded().entrySet()) {
            if (entry.getKey().startsWith(JOURNAL_KEY)) latest = entry.getValue();   // in the order recorded
        }
        return latest;
    }

    /**
     * Reads a recorded prediction again instead of paying for another: it is followed while it runs, and its output
     * used when it succeeded. One that ended failed or cancelled in an earlier attempt is replaced by a new one.
     */
    private CompletionStage<JsonNode> resume(JsonNode recorded) {
        created = recorded;
        return exchange(new Hop("GET", own(recorded, "get", ""), headers(), null), 0).thenCompose(now -> {
            String status = now.path("status").asText("");
            boolean earlier = recorded.path("attempt").asInt(call.attempt()) < call.attempt();
            if (earlier && (status.equals("failed") || status.equals("canceled"))) return createNew();
            return CompletableFuture.completedFuture(now);
        });
    }

    private CompletionStage<JsonNode> create(ObjectNode input) {
        ObjectNode body = Json.object();
        if (settings.version() != null) body.put("version", settings.version());
        body.set("input", input);
        Map<String, String> headers = headers();
        headers.put("Content-Type", "application/json");
        if (settings.waitSeconds() != null) headers.put("Prefer", "wait=" + settings.waitSeconds());
        return exchange(new Hop("POST", settings.createEndpoint(), headers, Json.bytes(body)), 0)
                .thenApply(prediction -> {
                    if (!prediction.path("id").isTextual()) {
                        throw new NodeException(ModelNode.ERROR, where(settings.createEndpoint())
                                + " answered a prediction without an id", true);
                    }
                    created = prediction;
                    return prediction;
                })
                .thenCompose(prediction -> {
                    // kept before the prediction is followed: a step resumed after a crash reads it again
                    ObjectNode entry = Json.object().put("id", prediction.get("id").asText())
                            .put("attempt", call.attempt());
                    entry.putObject("urls").put("get", own(prediction, "get", "").toString())
                            .put("cancel", own(prediction, "cancel", "/cancel").toString());
                    return call.journal().record(JOURNAL_KEY + call.attempt(), entry).thenApply(v -> prediction);
                });
    }

    /** Follows the prediction until it ends: the output when it succeeded, the step's error when not. */
    private CompletionStage<NodeOutput> follow(JsonNode prediction, int polls) {
        String status = prediction.path("status").asText("");
        if (TERMINAL.contains(status)) {
            ended = true;
            if (status.equals("succeeded")) return finish(prediction);
            String error = prediction.path("error").isNull() || prediction.path("error").isMissingNode() ? ""
                    : prediction.get("error").isTextual() ? prediction.get("error").asText()
                    : Json.write(prediction.get("error"));
            throw new NodeException(ModelNode.FAILED, settings.name() + ": prediction " + prediction.path("id").asText()
                    + " " + status + (error.isBlank() ? "" : ": " + redact(error)), false);
        }
        Duration wait = POLL_FIRST.multipliedBy(1L << Math.min(polls, 10));
        if (wait.compareTo(POLL_MAX) > 0) wait = POLL_MAX;
        Hop poll = new Hop("GET", own(prediction, "get", ""), headers(), null);
        return later(wait).thenCompose(v -> exchange(poll, 0)).thenCompose(next -> follow(next, polls + 1));
    }

    private CompletionStage<NodeOutput> finish(JsonNode prediction) {
        return blocking(() -> {
            PredictionFiles.Stored stored;
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                stored = wire.files().store(prediction.path("output"), call.taskId(), call.nodeId(),
                        Duration.ofNanos(left), uri -> Hop.sameOrigin(uri, settings.createEndpoint()) ? headers()
                                : Map.of());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while storing the output");
            }
            ObjectNode data = Json.object();
            data.set("output", stored.output());
            data.put("status", prediction.path("status").asText());
            data.put("id", prediction.path("id").asText());
            data.set("metrics", prediction.path("metrics").isObject() ? prediction.get("metrics") : Json.object());
            data.set("files", stored.files());
            return NodeOutput.success(data);
        });
    }

    /** Cancels the prediction, best-effort: the answer, if any, is not waited for. */
    private void cancel(JsonNode prediction) {
        Hop hop = new Hop("POST", own(prediction, "cancel", "/cancel"), headers(), new byte[0]);
        Fetch.start(wire.client(), wire.guard(), hop, System.nanoTime() + CANCEL_TIMEOUT.toNanos(),
                wire.maxResponseBytes(), 0, UnaryOperator.identity());
    }

    /**
     * The prediction's {@code urls.<name>} when it is on the API's own origin (the token goes nowhere else), else
     * the API's own address of the prediction plus {@code suffix}.
     */
    private URI own(JsonNode prediction, String name, String suffix) {
        JsonNode url = prediction.path("urls").path(name);
        if (url.isTextual()) {
            try {
                URI uri = URI.create(url.asText());
                if (uri.getHost() != null && Hop.sameOrigin(uri, settings.createEndpoint())) return uri;
            } catch (IllegalArgumentException e) {
                // not a URL: use the API's own
            }
        }
        return URI.create(settings.baseUrl() + "/predictions/" + prediction.path("id").asText() + suffix);
    }

    private Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        if (secret != null) headers.put("Authorization", "Bearer " + secret);
        headers.put("Accept", "application/json");
        return headers;
    }

    // ---- one request, with its retries ----

    private CompletableFuture<JsonNode> exchange(Hop hop, int retry) {
        if (answer.isDone()) return CompletableFuture.failedFuture(new CancellationException("the step stopped"));
        CompletableFuture<Fetch.Answer> fetch = Fetch.start(wire.client(), wire.guard(), hop, deadline,
                wire.maxResponseBytes(), 0, UnaryOperator.identity());
        onStop(() -> fetch.cancel(true));
        return fetch.handle((answered, error) -> {
            if (error != null) {
                NodeException failure = transportFailure(hop, Causes.unwrap(error));
                if (!ModelNode.ERROR.equals(failure.type()) || !failure.retryable() || retry >= settings.maxRetries()) {
                    return CompletableFuture.<JsonNode>failedFuture(failure);
                }
                return retryLater(LlmNode.backoff(retry), failure).thenCompose(v -> exchange(hop, retry + 1));
            }
            int status = answered.response().statusCode();
            if (status >= 200 && status <= 299) {
                try {
                    return CompletableFuture.completedFuture(Json.MAPPER.readTree(answered.response().body()));
                } catch (IOException e) {
                    return CompletableFuture.<JsonNode>failedFuture(new NodeException(ModelNode.ERROR, where(hop.uri())
                            + " answered " + status + " with a body that is not JSON", true));
                }
            }
            NodeException failure = statusFailure(hop, answered);
            if (!LlmNode.RETRIED.contains(status) || retry >= settings.maxRetries()) {
                return CompletableFuture.<JsonNode>failedFuture(failure);
            }
            Duration wait = RetryAfter.parse(answered.response().headers().firstValue("retry-after"),
                    wire.clock().instant()).orElse(LlmNode.backoff(retry));
            return retryLater(wait, failure).thenCompose(v -> exchange(hop, retry + 1));
        }).thenCompose(stage -> stage);
    }

    /** Completes after {@code wait} on the timer, unless that passes the time limit: then {@code failure} stands. */
    private CompletableFuture<Void> retryLater(Duration wait, NodeException failure) {
        if (wait.toNanos() >= deadline - System.nanoTime()) {
            return CompletableFuture.failedFuture(new NodeException(failure.type(), failure.getMessage() + " (a retry"
                    + " in " + wait.toMillis() + " ms would pass the time limit of " + settings.timeout().toMillis()
                    + " ms)", true));
        }
        return later(wait);
    }

    private CompletableFuture<Void> later(Duration wait) {
        CompletableFuture<Void> waited = new CompletableFuture<>();
        Runnable cancel = wire.timer().schedule(wire.clock().instant().plus(wait), () -> waited.complete(null));
        onStop(cancel);
        return waited;
    }

    private NodeException transportFailure(Hop hop, Throwable error) {
        NodeException failure = Fetch.failure(hop, settings.timeout(), error, "answer", h -> new NodeException(
                ModelNode.ERROR, where(hop.uri()) + " answered with a body over the limit of "
                + wire.maxResponseBytes() + " bytes", false));
        if (HttpNode.ERROR.equals(failure.type())) {
            return new NodeException(ModelNode.ERROR, redact(failure.getMessage()), failure.retryable());
        }
        return failure;
    }

    /** A non-2xx answer: Replicate writes problem details ({@code detail}, {@code title}). */
    private NodeException statusFailure(Hop hop, Fetch.Answer answered) {
        int status = answered.response().statusCode();
        String text = ResponseMode.text(answered.response().body(),
                answered.response().headers().firstValue("content-type"));
        String message = text.length() > 300 ? text.substring(0, 300) + "..." : text;
        try {
            JsonNode body = Json.MAPPER.readTree(text);
            if (body != null && body.path("detail").isTextual()) message = body.get("detail").asText();
            else if (body != null && body.path("title").isTextual()) message = body.get("title").asText();
            else if (body != null && body.path("error").isTextual()) message = body.get("error").asText();
        } catch (IOException e) {
            // not JSON: the text stands
        }
        return new NodeException(ModelNode.STATUS, where(hop.uri()) + " answered " + status + ": " + redact(message),
                LlmNode.RETRIED.contains(status));
    }

    private String where(URI uri) {
        return settings.name() + " " + Hop.display(uri);
    }

    private String redact(String message) {
        return secret == null || secret.length() < 4 ? message : message.replace(secret, "***");
    }
}
