package dev.weft.nodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.flow.Problems;
import dev.weft.json.Json;
import dev.weft.node.Credentials;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeDescription;
import dev.weft.node.NodeException;
import dev.weft.node.NodeOutput;
import dev.weft.node.NodeType;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code http} node: makes one HTTP request and emits the answer's {@code status}, {@code headers} and
 * {@code body}. It follows redirects itself so that every hop passes the {@link AddressGuard}, bounds the whole
 * exchange by {@code timeout_ms} and the body by a size limit, and fails on a non-2xx answer unless told not to.
 */
public final class HttpNode implements NodeType {

    public static final String TYPE = "http";
    private static final NodeCatalogue CATALOGUE = NodeCatalogue.load(TYPE);
    /** The error type of a connection or I/O failure: retryable. */
    public static final String ERROR = "http_error";
    /** The error type of a non-2xx answer; retryable for 429 and 5xx. */
    public static final String STATUS = "http_status";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final int STATUS_BODY_CHARS = 200;

    /** What the operator decides for every http node: private addresses, the body size limit, redirects. */
    public record Options(boolean allowPrivate, long maxResponseBytes, int maxRedirects) {

        public static final long MAX_RESPONSE_BYTES_DEFAULT = 10L * 1024 * 1024;
        public static final int MAX_REDIRECTS_DEFAULT = 5;
        public static final Options DEFAULT = new Options(false, MAX_RESPONSE_BYTES_DEFAULT, MAX_REDIRECTS_DEFAULT);

        public Options {
            if (maxResponseBytes < 1) throw new IllegalArgumentException("maxResponseBytes must be positive");
            if (maxRedirects < 0) throw new IllegalArgumentException("maxRedirects must not be negative");
        }

        /** The defaults, with private addresses allowed when {@value AddressGuard#ALLOW_PRIVATE_ENV} is true. */
        public static Options fromEnvironment(Map<String, String> env) {
            boolean allow = "true".equalsIgnoreCase(env.getOrDefault(AddressGuard.ALLOW_PRIVATE_ENV, "").trim());
            return new Options(allow, MAX_RESPONSE_BYTES_DEFAULT, MAX_REDIRECTS_DEFAULT);
        }
    }

    private final Options options;
    private final AddressGuard guard;
    private final Credentials credentials;
    /** Where hosts are resolved and checked before a request: a lookup may block, the engine's threads must not. */
    private static final Executor LOOKUPS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "weft-http-lookup");
        thread.setDaemon(true);
        return thread;
    });

    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)   // followed here, through the guard
            .connectTimeout(CONNECT_TIMEOUT)
            .build();

    public HttpNode(Options options) {
        this(options, Credentials.NONE);
    }

    /** {@code credentials}: the stored secrets that {@code auth.credential} names. */
    public HttpNode(Options options, Credentials credentials) {
        this(options, options.allowPrivate() ? AddressGuard.allowingPrivate() : AddressGuard.publicOnly(), credentials);
    }

    /** With a guard of one's own, for tests that need to allow some private addresses and not others. */
    HttpNode(Options options, AddressGuard guard) {
        this(options, guard, Credentials.NONE);
    }

    HttpNode(Options options, AddressGuard guard, Credentials credentials) {
        this.options = options;
        this.guard = guard;
        this.credentials = credentials;
    }

    @Override
    public NodeDescription describe() {
        return CATALOGUE.description();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Optional<List<String>> outputFields(ObjectNode settings) {
        return Optional.of(List.of("status", "headers", "body"));
    }

    @Override
    public void validate(ObjectNode settings, Problems problems) {
        HttpSettings.check(settings, problems, true);
    }

    /** The request waits on the HTTP client's selector, not on a node thread: a slow upstream holds no thread. */
    @Override
    public boolean async() {
        return true;
    }

    @Override
    public NodeOutput run(NodeCall call) throws Exception {
        return Async.await(runAsync(call));
    }

    @Override
    public CompletionStage<NodeOutput> runAsync(NodeCall call) {
        CompletableFuture<NodeOutput> result = new CompletableFuture<>();
        try {
            HttpSettings settings = HttpSettings.read(call.settings(), call.timeout());
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            Hop first = settings.request();
            HttpSettings.Auth auth = settings.auth();
            if (auth != null) {
                String secret = StoredSecrets.secretFor(credentials, auth.credential(), first.uri(), "auth.credential");
                first = first.with(auth.headerName(), auth.headerValue(secret));
            }
            new Exchange(settings, first, deadline, result).send(first, 0);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** One attempt: a request and the redirects it leads to, each hop checked by the guard before it is sent. */
    private final class Exchange {

        private final HttpSettings settings;
        private final Hop first;
        private final long deadline;
        private final CompletableFuture<NodeOutput> result;

        Exchange(HttpSettings settings, Hop first, long deadline, CompletableFuture<NodeOutput> result) {
            this.settings = settings;
            this.first = first;
            this.deadline = deadline;
            this.result = result;
        }

        /** Resolves and checks the hop's host off the caller's thread (a DNS lookup may be slow), then sends it. */
        void send(Hop hop, int redirects) {
            CompletableFuture.runAsync(() -> guard.check(hop.uri()), LOOKUPS).thenCompose(checked -> {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw timedOut(hop, settings.timeout());
                CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(
                        hop.request(Duration.ofNanos(left)), LimitedBody.handler(options.maxResponseBytes(),
                                hop.method().equals("HEAD")));
                // bounds the body too, which the request timeout does not; a cancelled step stops the exchange
                result.whenComplete((done, error) -> exchange.cancel(true));
                return exchange.orTimeout(left, TimeUnit.NANOSECONDS);
            }).whenComplete((response, error) -> {
                if (result.isDone()) return;
                try {
                    if (error != null) throw failure(hop, settings.timeout(), unwrap(error));
                    answered(hop, response, redirects);
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        }

        private void answered(Hop hop, HttpResponse<byte[]> response, int redirects) {
            Optional<Hop> next = hop.redirect(response.statusCode(), response.headers());
            if (next.isEmpty()) {
                result.complete(answer(hop, response, settings));
                return;
            }
            if (redirects == options.maxRedirects()) {
                throw new NodeException("too_many_redirects", hop.display() + " redirected again after "
                        + options.maxRedirects() + " redirects", false);
            }
            Hop following = next.get();
            HttpSettings.Auth auth = settings.auth();
            // The stored secret goes only to the origin it was set for, whatever header carries it.
            if (auth != null && !Hop.sameOrigin(first.uri(), following.uri())) {
                following = following.with(auth.headerName(), null);
            }
            send(following, redirects + 1);
        }
    }

    private static Throwable unwrap(Throwable error) {
        while ((error instanceof CompletionException || error instanceof ExecutionException)
                && error.getCause() != null) {
            error = error.getCause();
        }
        return error;
    }

    private NodeException failure(Hop hop, Duration timeout, Throwable cause) {
        if (cause instanceof NodeException e) return e;   // refused by the guard, or out of time before sending
        if (cause instanceof TimeoutException) return timedOut(hop, timeout);
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof LimitedBody.TooLarge) {
                return new NodeException("response_too_large", hop.display() + " answered with a body over the limit"
                        + " of " + options.maxResponseBytes() + " bytes", false);
            }
            if (t instanceof HttpTimeoutException) return timedOut(hop, timeout);
        }
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return new NodeException(ERROR, hop.display() + " failed: " + reason, cause instanceof IOException);
    }

    private static NodeException timedOut(Hop hop, Duration timeout) {
        return new NodeException("timeout", hop.display() + " got no complete answer within " + timeout.toMillis()
                + " ms (timeout_ms)", true);
    }

    private static NodeOutput answer(Hop hop, HttpResponse<byte[]> response, HttpSettings settings) {
        int status = response.statusCode();
        Optional<String> contentType = response.headers().firstValue("content-type");
        if (settings.failOnStatus() && (status < 200 || status > 299)) {
            String text = ResponseMode.text(response.body(), contentType);
            throw new NodeException(STATUS, hop.display() + " answered " + status + ": "
                    + (text.length() > STATUS_BODY_CHARS ? text.substring(0, STATUS_BODY_CHARS) : text),
                    status == 429 || status >= 500);
        }
        ObjectNode data = Json.object();
        data.put("status", status);
        ObjectNode headers = data.putObject("headers");
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":") && !values.isEmpty()) headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
        });
        data.set("body", settings.response().read(response.body(), contentType, hop));
        return NodeOutput.success(data);
    }
}
