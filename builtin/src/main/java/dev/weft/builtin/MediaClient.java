package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.concurrent.Causes;
import dev.weft.engine.Timer;
import dev.weft.json.Json;
import dev.weft.node.Credentials;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.node.RetryAfter;
import dev.weft.task.ErrorTypes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What the media nodes ({@code image}, {@code transcribe}, {@code speech}) share: one call of an OpenAI-compatible
 * endpoint with the stored API key, its 429 and 5xx answers retried as {@code llm} retries them (waiting on the
 * timer as {@code Retry-After} asks), files read in (one of this Weft's files, or an outside URL fetched through the
 * {@link AddressGuard}) and generated files stored. Nothing holds a thread while it waits: HTTP is asynchronous, and
 * the file store's reads and writes run on the node pool.
 */
final class MediaClient {

    /** The provider answered with an error (its message quoted), or could not be reached; retryable for 429 and 5xx. */
    static final String PROVIDER_ERROR = "provider_error";
    /** The provider answered 2xx with a body that is not what its API promises. */
    static final String ANSWER_INVALID = "provider_answer_invalid";
    /** An input file of 0 bytes. */
    static final String FILE_EMPTY = "file_empty";
    /** An input or answer file over the size limit. */
    static final String FILE_TOO_LARGE = "file_too_large";

    private final HttpNode.Options options;
    private final AddressGuard guard;
    private final Credentials credentials;
    private final FileSink files;
    private final long fileMaxBytes;
    private final FlowRuns runs;
    private final Timer timer;
    private final Clock clock;
    private final HttpClient client = Fetch.client(HttpNode.CONNECT_TIMEOUT);

    MediaClient(BuiltinNodes.Services services) {
        this.options = services.http();
        this.guard = options.allowPrivate() ? AddressGuard.allowingPrivate() : AddressGuard.publicOnly();
        this.credentials = services.credentials();
        this.files = services.files();
        this.fileMaxBytes = services.fileMaxBytes();
        this.runs = services.runs();
        this.timer = services.timer() != null ? services.timer() : Async.sharedTimer();
        this.clock = services.clock();
    }

    /** The operator's file size limit: the most a step's {@code max_bytes} may ask for. */
    long fileMaxBytes() {
        return fileMaxBytes;
    }

    /** The stored secret {@code name} for {@code endpoint}; null when the settings name no credential. */
    String secret(long taskId, String name, URI endpoint) {
        return name == null ? null : StoredSecrets.secretFor(credentials.forTask(taskId), name, endpoint, "credential");
    }

    /** A POST to a provider: where, its body and type, the key, the answer's size limit and the retries. */
    record Post(URI endpoint, String contentType, byte[] body, String secret, long maxAnswerBytes, int maxRetries) {

        Hop hop() {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", contentType);
            if (secret != null) headers.put("Authorization", "Bearer " + secret);
            return new Hop("POST", endpoint, headers, body);
        }
    }

    /**
     * One attempt of a media step: its deadline, enforced on the timer whatever is under way, and what stops its
     * work in flight (HTTP exchanges, timers) when it ends early, cancelled or timed out.
     */
    final class Attempt {
        final Duration timeout;
        final long deadline;
        final CompletableFuture<NodeOutput> answer = new CompletableFuture<>();
        private final Queue<Runnable> stops = new ConcurrentLinkedQueue<>();

        Attempt(Duration timeout, String what) {
            this.timeout = timeout;
            this.deadline = System.nanoTime() + timeout.toNanos();
            onStop(timer.schedule(clock.instant().plus(timeout), () -> answer.completeExceptionally(new NodeException(
                    ErrorTypes.TIMEOUT, what + " gave no answer within " + timeout.toMillis() + " ms (timeout_ms)",
                    true))));
            answer.whenComplete((done, error) -> {
                for (Runnable stop; (stop = stops.poll()) != null; ) stop.run();
            });
        }

        /** Completes the attempt with what {@code work} gives; returns the answer the engine waits on. */
        CompletableFuture<NodeOutput> run(Supplier<CompletableFuture<NodeOutput>> work) {
            CompletableFuture<NodeOutput> started;
            try {
                started = work.get();
            } catch (RuntimeException e) {
                started = CompletableFuture.failedFuture(e);
            }
            started.whenComplete((output, error) -> {
                if (error != null) answer.completeExceptionally(Causes.unwrap(error));
                else answer.complete(output);
            });
            return answer;
        }

        void onStop(Runnable stop) {
            stops.add(stop);
            if (answer.isDone() && stops.remove(stop)) stop.run();
        }

        /** Sends {@code post}, retrying 429, 5xx and failed connections; completes with the 2xx answer. */
        CompletableFuture<HttpResponse<byte[]>> post(Post post, String where) {
            return send(post, post.hop(), where, 0);
        }

        private CompletableFuture<HttpResponse<byte[]>> send(Post post, Hop hop, String where, int retry) {
            if (answer.isDone()) return CompletableFuture.failedFuture(new CancellationException("the step stopped"));
            CompletableFuture<Fetch.Answer> fetch = Fetch.start(client, guard, hop, deadline, post.maxAnswerBytes(), 0,
                    UnaryOperator.identity());
            onStop(() -> fetch.cancel(true));
            return fetch.handle((answered, error) -> {
                NodeException failure;
                Duration wait;
                if (error != null) {
                    failure = transportFailure(hop, Causes.unwrap(error), where, post);
                    if (!failure.retryable() || ErrorTypes.TIMEOUT.equals(failure.type())) {
                        return CompletableFuture.<HttpResponse<byte[]>>failedFuture(failure);
                    }
                    wait = LlmNode.backoff(retry);
                } else {
                    HttpResponse<byte[]> response = answered.response();
                    int status = response.statusCode();
                    if (status >= 200 && status <= 299) return CompletableFuture.completedFuture(response);
                    failure = statusFailure(response, where, post.secret());
                    if (!failure.retryable()) return CompletableFuture.<HttpResponse<byte[]>>failedFuture(failure);
                    wait = RetryAfter.parse(response.headers().firstValue("retry-after"), clock.instant())
                            .orElse(LlmNode.backoff(retry));
                }
                if (retry >= post.maxRetries()) return CompletableFuture.<HttpResponse<byte[]>>failedFuture(failure);
                return later(wait, failure).thenCompose(v -> send(post, hop, where, retry + 1));
            }).thenCompose(stage -> stage);
        }

        private NodeException transportFailure(Hop hop, Throwable error, String where, Post post) {
            NodeException failure = Fetch.failure(hop, timeout, error, "answer", h -> new NodeException(FILE_TOO_LARGE,
                    where + " answered with a body over the limit of " + post.maxAnswerBytes() + " bytes", false));
            if (HttpNode.ERROR.equals(failure.type())) {
                return new NodeException(PROVIDER_ERROR, redact(failure.getMessage(), post.secret()),
                        failure.retryable());
            }
            return failure;
        }

        /** Completes after {@code wait} on the timer, unless that passes the time limit: then {@code failure} stands. */
        private CompletableFuture<Void> later(Duration wait, NodeException failure) {
            if (wait.toNanos() >= deadline - System.nanoTime()) {
                return CompletableFuture.failedFuture(new NodeException(failure.type(), failure.getMessage()
                        + " (a retry in " + wait.toMillis() + " ms would pass the time limit of " + timeout.toMillis()
                        + " ms)", true));
            }
            CompletableFuture<Void> waited = new CompletableFuture<>();
            onStop(timer.schedule(clock.instant().plus(wait), () -> waited.complete(null)));
            return waited;
        }

        /**
         * The file {@code ref} names, read whole: one of this Weft's files (by id or URL), else an outside http(s)
         * URL fetched through the guard. Refused, naming {@code settings.<setting>}: a file over {@code maxBytes}
         * (checked before it is read: a stored file by its recorded size, a download as it streams in), or of 0
         * bytes.
         */
        CompletableFuture<FileSink.Loaded> load(String ref, String setting, long maxBytes) {
            return blocking(() -> files.load(ref, maxBytes)).handle((stored, error) -> {
                if (error != null) {
                    Throwable cause = Causes.unwrap(error);
                    if (cause instanceof NodeException e) {
                        return CompletableFuture.<FileSink.Loaded>failedFuture(new NodeException(e.type(),
                                "settings." + setting + ": " + e.getMessage() + limitNote(e), e.retryable()));
                    }
                    return CompletableFuture.<FileSink.Loaded>failedFuture(cause);
                }
                if (stored.isPresent()) return CompletableFuture.completedFuture(stored.get());
                return download(ref, setting, maxBytes);
            }).thenCompose(stage -> stage).thenApply(loaded -> {
                if (loaded.bytes().length == 0) {
                    throw new NodeException(FILE_EMPTY, "settings." + setting + ": " + describe(ref, loaded)
                            + " is empty (0 bytes): there is nothing to send", false);
                }
                return loaded;
            });
        }

        private CompletableFuture<FileSink.Loaded> download(String ref, String setting, long maxBytes) {
            String wrong = HttpSettings.urlProblem(ref);
            if (wrong != null) {
                return CompletableFuture.failedFuture(Settings.invalid(setting, "must be one of this Weft's files (an"
                        + " id or URL from the files API or a step) or an http(s) URL; " + wrong));
            }
            Hop first = new Hop("GET", Hop.withoutFragment(URI.create(ref)), Map.of(), null);
            CompletableFuture<Fetch.Answer> fetch = Fetch.start(client, guard, first, deadline, maxBytes,
                    options.maxRedirects(), UnaryOperator.identity());
            onStop(() -> fetch.cancel(true));
            return fetch.handle((answered, error) -> {
                if (error != null) {
                    throw Fetch.failure(first, timeout, Causes.unwrap(error), "file", hop -> new NodeException(
                            FILE_TOO_LARGE, "settings." + setting + ": " + hop.display() + " answered with a file over"
                            + " the limit of " + maxBytes + " bytes (max_bytes)", false));
                }
                HttpResponse<byte[]> response = answered.response();
                int status = response.statusCode();
                if (status < 200 || status > 299) {
                    throw new NodeException(HttpNode.STATUS, "settings." + setting + ": " + answered.hop().display()
                            + " answered " + status + ", not a file", status == 429 || status >= 500);
                }
                String type = response.headers().firstValue("content-type").map(String::trim)
                        .orElse(FilesNode.FALLBACK_TYPE);
                return new FileSink.Loaded(null, FileNames.of(response.headers().firstValue("content-disposition"),
                        answered.hop().uri()), type, response.body());
            });
        }

        /** Stores a generated file as the step's own, on the node pool. */
        CompletableFuture<FileSink.Saved> save(byte[] bytes, String name, String contentType, long taskId,
                                               String nodeId) {
            return blocking(() -> files.save(bytes, name, contentType, taskId, nodeId));
        }

        /**
         * Downloads a file a provider answered with as a URL (DALL·E-style answers), through the guard, at most
         * {@code maxBytes}.
         */
        CompletableFuture<HttpResponse<byte[]>> fetch(String url, String what, long maxBytes) {
            if (HttpSettings.urlProblem(url) != null) {
                return CompletableFuture.failedFuture(new NodeException(ANSWER_INVALID, what + " is not an http(s)"
                        + " URL", false));
            }
            Hop first = new Hop("GET", Hop.withoutFragment(URI.create(url)), Map.of(), null);
            CompletableFuture<Fetch.Answer> fetch = Fetch.start(client, guard, first, deadline, maxBytes,
                    options.maxRedirects(), UnaryOperator.identity());
            onStop(() -> fetch.cancel(true));
            return fetch.handle((answered, error) -> {
                if (error != null) {
                    throw Fetch.failure(first, timeout, Causes.unwrap(error), "file", hop -> new NodeException(
                            FILE_TOO_LARGE, what + " at " + hop.display() + " is over the limit of " + maxBytes
                            + " bytes", false));
                }
                int status = answered.response().statusCode();
                if (status < 200 || status > 299) {
                    throw new NodeException(PROVIDER_ERROR, what + " at " + answered.hop().display() + " answered "
                            + status, status == 429 || status >= 500);
                }
                return answered.response();
            });
        }

        private <T> CompletableFuture<T> blocking(Supplier<T> work) {
            CompletableFuture<T> done = new CompletableFuture<>();
            runs.setUp(done, () -> done.complete(work.get()));
            onStop(() -> done.cancel(false));
            return done;
        }
    }

    /** Starts an attempt bounded by {@code timeout}; {@code what} names the node's work in a timeout's message. */
    Attempt attempt(Duration timeout, String what) {
        return new Attempt(timeout, what);
    }

    private static String limitNote(NodeException e) {
        return FILE_TOO_LARGE.equals(e.type()) ? " (max_bytes)" : "";
    }

    private static String describe(String ref, FileSink.Loaded loaded) {
        return loaded.id() != null ? "file " + loaded.id() : "GET " + Hop.display(URI.create(ref));
    }

    /**
     * The error of a non-2xx answer, quoting the provider: OpenAI and the servers that copy its API answer
     * {@code {"error": {"message", "type", "code"}}}; anything else is quoted as text, shortened.
     */
    static NodeException statusFailure(HttpResponse<byte[]> response, String where, String secret) {
        int status = response.statusCode();
        String text = ResponseMode.text(response.body(), response.headers().firstValue("content-type"));
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            body = null;
        }
        return new NodeException(PROVIDER_ERROR, where + " answered " + status + ": "
                + redact(LlmProvider.errorMessage(body, text), secret), LlmNode.RETRIED.contains(status));
    }

    /** Some providers quote the key they refused: never let it reach a message. */
    static String redact(String message, String secret) {
        return secret == null || secret.length() < 4 ? message : message.replace(secret, "***");
    }

    /** The answer's body as JSON, or {@value #ANSWER_INVALID}. */
    static JsonNode json(HttpResponse<byte[]> response, String where) {
        try {
            JsonNode body = Json.MAPPER.readTree(response.body());
            if (body == null || !body.isObject()) throw new IOException("not an object");
            return body;
        } catch (IOException e) {
            throw new NodeException(ANSWER_INVALID, where + " answered " + response.statusCode() + " with a body that"
                    + " is not a JSON object", true);
        }
    }

    /** The request as messages name it: {@code POST http://host/v1/images/generations}. */
    static String where(URI endpoint) {
        return "POST " + Hop.display(endpoint);
    }

    /** {@code base} (or {@code fallback}) plus {@code path}, without a doubled slash. */
    static URI endpoint(String base, String fallback, String path) {
        String root = base == null || base.isBlank() ? fallback : base.trim();
        while (root.endsWith("/")) root = root.substring(0, root.length() - 1);
        return URI.create(root + path);
    }
}
