package dev.weft.builtin;

import dev.weft.node.RetryAfter;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.json.Json;
import dev.weft.node.Credentials;
import dev.weft.node.Deltas;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import dev.weft.node.Problems;
import dev.weft.node.Run;
import dev.weft.registry.SettingsSchema;
import dev.weft.task.ErrorTypes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code llm} node: one chat completion from the provider its settings name, emitting {@code text} (and the
 * parsed {@code json} when asked), {@code usage}, {@code model}, {@code finish_reason} and {@code provider} (which
 * the task's usage and the metrics read). It retries 429 and 5xx
 * answers itself, waiting as {@code Retry-After} asks, within its time limit; the API key comes from a stored
 * credential and appears in no output, message or log.
 */
public final class LlmNode implements NodeType {

    public static final String TYPE = "llm";
    /** A failed exchange: no connection, an unreadable answer. Retryable. */
    public static final String ERROR = "llm_error";
    /** A non-2xx answer; retryable for 429 and 5xx. */
    public static final String STATUS = "llm_status";
    /** An answer that is not the JSON asked for, or does not match {@code json_schema}. */
    public static final String OUTPUT_INVALID = "llm_output_invalid";
    /** A {@code credential} name with no stored credential. */
    public static final String CREDENTIAL_MISSING = StoredSecrets.MISSING;
    static final Set<Integer> RETRIED = Set.of(429, 500, 502, 503, 504, 529);
    static final Duration BACKOFF_FIRST = Duration.ofSeconds(1);
    static final Duration BACKOFF_MAX = Duration.ofSeconds(30);

    private final HttpNode.Options options;
    private final AddressGuard guard;
    private final Credentials credentials;
    private final Sleeper sleeper;
    private final Images images;
    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(HttpNode.CONNECT_TIMEOUT)
            .build();

    /**
     * The network rules ({@code options}) are the http node's: the same private-address guard and size limit;
     * {@code images} may name files of {@code files}, each sent inline up to {@code fileMaxBytes}.
     */
    public LlmNode(HttpNode.Options options, Credentials credentials, FileSink files, long fileMaxBytes) {
        this(options, credentials, Sleeper.REAL, new Images(files, Math.min(fileMaxBytes, Images.MAX_BYTES_DEFAULT)));
    }

    LlmNode(HttpNode.Options options, Credentials credentials, Sleeper sleeper) {
        this(options, credentials, sleeper, Images.NONE);
    }

    LlmNode(HttpNode.Options options, Credentials credentials, Sleeper sleeper, Images images) {
        this.options = options;
        this.guard = options.allowPrivate() ? AddressGuard.allowingPrivate() : AddressGuard.publicOnly();
        this.credentials = credentials;
        this.sleeper = sleeper;
        this.images = images;
    }

    @Override
    public String id() {
        return TYPE;
    }

    @Override
    public Run run() {
        return Run.blocking(this::run);
    }

    @Override
    public void check(ObjectNode settings, Problems problems) {
        LlmSettings.check(settings, problems, true);
    }

    public NodeOutput run(NodeCall call) throws InterruptedException {
        LlmSettings settings = LlmSettings.read(call.settings(), call.timeout());
        String secret = settings.credential() == null ? null : StoredSecrets.secretFor(credentials.forTask(call.taskId()),
                settings.credential(), settings.provider().endpoint(settings.baseUrl()), "credential");
        Exchange exchange = new Exchange(settings, secret, call.deltas());
        LlmAnswer answer = exchange.run();
        ObjectNode data = Json.object();
        data.put("text", answer.text());
        if (settings.json()) data.set("json", parsed(answer, settings.jsonSchema()));
        data.putObject("usage").put("input_tokens", answer.inputTokens()).put("output_tokens", answer.outputTokens())
                .put("total_tokens", answer.inputTokens() + answer.outputTokens());
        data.put("model", answer.model().isEmpty() ? settings.model() : answer.model());
        data.put("finish_reason", answer.finishReason());
        data.put("provider", settings.provider().id());
        return NodeOutput.success(data);
    }

    /**
     * One call of the provider, with its retries, bounded by the settings' time limit. Streamed (the default), the
     * text reaches the step's deltas as it comes; a stream cut after some text was shown is not retried here (the
     * step's own retry policy decides), so watchers never see the same text twice within an attempt.
     */
    private final class Exchange {
        private final LlmSettings settings;
        private final String secret;
        private final URI endpoint;
        private final long deadline;
        private final Deltas deltas;
        private volatile long shownChars;

        Exchange(LlmSettings settings, String secret, Deltas deltas) {
            this.settings = settings;
            this.secret = secret;
            this.endpoint = settings.provider().endpoint(settings.baseUrl());
            this.deadline = System.nanoTime() + settings.timeout().toNanos();
            Deltas downstream = deltas;
            this.deltas = new Deltas() {
                @Override
                public void text(String text) {
                    shownChars += text.length();
                    downstream.text(text);
                }
            };
        }

        LlmAnswer run() throws InterruptedException {
            ObjectNode request = settings.provider().body(settings, images.resolve(settings.images()));
            byte[] body = Json.bytes(settings.stream() ? settings.provider().streaming(request) : request);
            for (int retry = 0; ; retry++) {
                guard.check(endpoint);
                HttpResponse<LlmStream.Reply> response;
                try {
                    response = send(body);
                } catch (NodeException e) {
                    if (!ERROR.equals(e.type()) || retry >= settings.maxRetries() || shownChars > 0) throw e;
                    pause(backoff(retry), e);
                    continue;
                }
                if (response.body() instanceof LlmStream.Reply.Answer answer) return answer.answer();
                NodeException failure = LlmStream.failure(response, where(), this::redact);
                if (!RETRIED.contains(response.statusCode()) || retry >= settings.maxRetries()) throw failure;
                Instant now = Instant.now();
                pause(RetryAfter.parse(response.headers().firstValue("retry-after"), now).orElse(backoff(retry)), failure);
            }
        }

        private HttpResponse<LlmStream.Reply> send(byte[] body) throws InterruptedException {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw timedOut();
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofNanos(left))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Content-Type", "application/json")
                    .header("Accept", settings.stream() ? "text/event-stream, application/json" : "application/json");
            if ("http".equalsIgnoreCase(endpoint.getScheme())) request.version(HttpClient.Version.HTTP_1_1);
            settings.provider().headers(secret).forEach(request::header);
            CompletableFuture<HttpResponse<LlmStream.Reply>> future = client.sendAsync(request.build(),
                    LlmStream.handler(settings.provider(), where(), deltas, options.maxResponseBytes()));
            try {
                return future.get(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                future.cancel(true);
                throw e;
            } catch (TimeoutException e) {
                future.cancel(true);
                throw timedOut();
            } catch (ExecutionException e) {
                for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                    if (t instanceof HttpTimeoutException) throw timedOut();
                    if (t instanceof NodeException) break;
                }
                throw LlmStream.failure(e.getCause(), where(), options.maxResponseBytes(), this::redact, shownChars);
            }
        }

        /** Waits before the next try, unless the wait would pass the time limit: then {@code failure} stands. */
        private void pause(Duration wait, NodeException failure) throws InterruptedException {
            long left = deadline - System.nanoTime();
            if (wait.toNanos() >= left) {
                throw new NodeException(failure.type(), failure.getMessage() + " (a retry in " + wait.toMillis()
                        + " ms would pass the time limit of " + settings.timeout().toMillis() + " ms)", true);
            }
            sleeper.sleep(wait);
        }

        private NodeException timedOut() {
            return new NodeException(ErrorTypes.TIMEOUT, where() + " gave no complete answer within "
                    + settings.timeout().toMillis() + " ms", true);
        }

        private String where() {
            return settings.provider().id() + " " + Hop.display(endpoint);
        }

        /** Some providers quote the key they refused: never let it reach a message. */
        private String redact(String message) {
            return secret == null || secret.length() < 4 ? message : message.replace(secret, "***");
        }
    }

    static Duration backoff(int retry) {
        Duration wait = BACKOFF_FIRST.multipliedBy(1L << Math.min(retry, 10));
        return wait.compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : wait;
    }

    /** The answer as JSON, checked against the schema when there is one; {@value #OUTPUT_INVALID} otherwise. */
    static JsonNode parsed(LlmAnswer answer, JsonNode schema) {
        String text = withoutFences(answer.text().strip());
        String cut = "length".equals(answer.finishReason()) || "max_tokens".equals(answer.finishReason())
                ? " (the answer was cut off at max_tokens)" : "";
        JsonNode value;
        try {
            value = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new NodeException(OUTPUT_INVALID, "the model's answer is not JSON" + cut + ": "
                    + e.getOriginalMessage() + "; it begins: " + begin(text), true);
        }
        if (value == null || value.isMissingNode()) {
            throw new NodeException(OUTPUT_INVALID, "the model's answer is empty" + cut, true);
        }
        if (schema != null) {
            Problems problems = new Problems();
            new SettingsSchema(schema).check(value, problems);
            if (!problems.isEmpty()) {
                throw new NodeException(OUTPUT_INVALID, "the model's answer does not match json_schema: "
                        + String.join("; ", problems.list().stream().map(p -> p.field().isEmpty() ? p.message()
                        : p.field() + ": " + p.message()).toList()), true);
            }
        }
        return value;
    }

    private static String withoutFences(String text) {
        if (!text.startsWith("```")) return text;
        int firstLine = text.indexOf('\n');
        int close = text.lastIndexOf("```");
        return firstLine < 0 || close <= firstLine ? text : text.substring(firstLine + 1, close).strip();
    }

    private static String begin(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "..." : text;
    }
}
