package dev.weft.builtin;

import dev.weft.concurrent.Causes;
import dev.weft.concurrent.Threads;
import dev.weft.node.NodeException;
import dev.weft.task.ErrorTypes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One request and the redirects it leads to, for the nodes that fetch (http, files): each hop is checked by the
 * {@link AddressGuard} before it is sent, the whole exchange (body included) is bounded by a deadline and the body
 * by a size limit, and no thread is held while it waits. Cancelling the future stops the exchange in flight.
 */
final class Fetch {

    /** The hop that answered without redirecting, and its answer. */
    record Answer(Hop hop, HttpResponse<byte[]> response) {}

    /**
     * What sends one hop and collects its answer's body up to {@code maxBytes} ({@link LimitedBody.TooLarge} past
     * it): the JDK client ({@link #jdk}) or Jetty's ({@link JettyExchange}, the http node's). Cancelling or failing
     * the future stops the exchange; {@code left} is the time left before the fetch's deadline.
     */
    interface Exchange {
        CompletableFuture<HttpResponse<byte[]>> send(Hop hop, Duration left, long maxBytes);
    }

    /** The JDK {@code client} as an exchange. */
    static Exchange jdk(HttpClient client) {
        return (hop, left, maxBytes) -> client.sendAsync(hop.request(left),
                LimitedBody.handler(maxBytes, hop.method().equals("HEAD")));
    }

    /**
     * Why a fetch failed, at which hop: the cause is a {@link NodeException} (refused by the guard, too many
     * redirects), a {@link TimeoutException} (the deadline passed), or what the HTTP client failed with
     * ({@link LimitedBody.TooLarge} for a body over the limit).
     */
    private static final class Failed extends RuntimeException {
        final transient Hop hop;

        Failed(Hop hop, Throwable cause) {
            super(cause);
            this.hop = hop;
        }
    }

    /** Where hosts are resolved and checked: a DNS lookup may block, the engine's threads must not. */
    static final Executor LOOKUPS = Executors.newCachedThreadPool(Threads.named("weft-http-lookup"));

    /**
     * Where the HTTP clients run their own short tasks (reading and handing on answers): a few threads, instead of
     * the client's default pool, which starts a thread for nearly every call in flight (over a hundred under load).
     */
    private static final Executor CLIENT_TASKS = Threads.fixed("weft-http",
            Math.max(2, Runtime.getRuntime().availableProcessors()));

    private final Exchange exchange;
    private final AddressGuard guard;
    private final long deadline;
    private final long maxBytes;
    private final int maxRedirects;
    private final UnaryOperator<Hop> onRedirect;
    private final CompletableFuture<Answer> result = new CompletableFuture<>();

    private Fetch(Exchange exchange, AddressGuard guard, long deadline, long maxBytes, int maxRedirects,
                  UnaryOperator<Hop> onRedirect) {
        this.exchange = exchange;
        this.guard = guard;
        this.deadline = deadline;
        this.maxBytes = maxBytes;
        this.maxRedirects = maxRedirects;
        this.onRedirect = onRedirect;
    }

    /**
     * Sends {@code first}, following up to {@code maxRedirects} redirects ({@code onRedirect} adjusts each next hop,
     * e.g. drops a secret meant for the first origin), until {@code deadline} ({@link System#nanoTime()}).
     * The future fails with {@link Failed}.
     */
    static CompletableFuture<Answer> start(HttpClient client, AddressGuard guard, Hop first, long deadline,
                                           long maxBytes, int maxRedirects, UnaryOperator<Hop> onRedirect) {
        return start(jdk(client), guard, first, deadline, maxBytes, maxRedirects, onRedirect);
    }

    /** As {@link #start(HttpClient, AddressGuard, Hop, long, long, int, UnaryOperator)}, through {@code exchange}. */
    static CompletableFuture<Answer> start(Exchange exchange, AddressGuard guard, Hop first, long deadline,
                                           long maxBytes, int maxRedirects, UnaryOperator<Hop> onRedirect) {
        Fetch fetch = new Fetch(exchange, guard, deadline, maxBytes, maxRedirects, onRedirect);
        fetch.send(first, 0);
        return fetch.result;
    }

    /**
     * Fetches {@code url} with GET for a blocking step, waiting for the whole body, and answers the last hop with a
     * 2xx answer. The step's errors name what was fetched ({@code what}: "file", "document"): a body over
     * {@code maxBytes} fails with {@code file_too_large} (not retryable; {@code limitSetting}, when not null, names the
     * setting that sets the limit), a non-2xx answer with
     * {@link HttpNode#STATUS} (retryable for 429 and 5xx). Interrupting the thread cancels the fetch.
     */
    static Answer download(HttpClient client, AddressGuard guard, String url, Duration timeout, long maxBytes,
                           int maxRedirects, String what, String limitSetting) throws InterruptedException {
        return download(client, guard, new Hop("GET", Hop.withoutFragment(URI.create(url)), Map.of(), null), timeout,
                maxBytes, maxRedirects, what, limitSetting);
    }

    /** As {@link #download(HttpClient, AddressGuard, String, Duration, long, int, String, String)}, sending {@code first}. */
    static Answer download(HttpClient client, AddressGuard guard, Hop first, Duration timeout, long maxBytes,
                           int maxRedirects, String what, String limitSetting) throws InterruptedException {
        CompletableFuture<Answer> fetch = start(client, guard, first, System.nanoTime() + timeout.toNanos(), maxBytes,
                maxRedirects, UnaryOperator.identity());
        Answer answer;
        try {
            answer = fetch.get();
        } catch (InterruptedException e) {
            fetch.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw failure(first, timeout, Causes.unwrap(e), what, hop -> new NodeException("file_too_large",
                    hop.display() + " answered with a " + what + " over the limit of " + maxBytes + " bytes"
                    + (limitSetting == null ? "" : " (" + limitSetting + ")"), false));
        }
        int status = answer.response().statusCode();
        if (status < 200 || status > 299) {
            throw new NodeException(HttpNode.STATUS, answer.hop().display() + " answered " + status + ", not a " + what,
                    status == 429 || status >= 500);
        }
        return answer;
    }

    /**
     * The step's error for a fetch that failed with {@code error}: a refusal of the guard or too many redirects as
     * they are; else one naming the hop that failed ({@link Failed}, or {@code first}): a timeout (retryable), a body
     * over the limit (made by {@code tooLarge}, not retryable), or the HTTP client's failure (retryable when it is an
     * I/O error). {@code what} is what a hop that ran out of time did not send ("answer", "file").
     */
    static NodeException failure(Hop first, Duration timeout, Throwable error, String what,
                                 Function<Hop, NodeException> tooLarge) {
        Hop hop = error instanceof Failed failed ? failed.hop : first;
        Throwable cause = error instanceof Failed ? error.getCause() : error;
        if (cause instanceof NodeException e) return e;
        if (cause instanceof TimeoutException) return timedOut(hop, timeout, what);
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof LimitedBody.TooLarge) return tooLarge.apply(hop);
            if (t instanceof HttpTimeoutException) return timedOut(hop, timeout, what);
        }
        String reason = dev.weft.node.NetworkFailure.describe(cause, dev.weft.node.NetworkFailure.target(hop.uri()));
        return new NodeException(HttpNode.ERROR, hop.display() + ": " + reason, cause instanceof IOException);
    }

    private static NodeException timedOut(Hop hop, Duration timeout, String what) {
        return new NodeException(ErrorTypes.TIMEOUT, hop.display() + " got no complete " + what + " within "
                + timeout.toMillis() + " ms (timeout_ms)", true);
    }

    /** A client that leaves redirects to the fetch, so that every hop passes the guard. */
    static HttpClient client(Duration connectTimeout) {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(connectTimeout)
                .executor(CLIENT_TASKS).build();
    }

    private void send(Hop hop, int redirects) {
        // a name is looked up on the lookup pool (DNS may block); an address written out is checked here at once
        Executor checker = AddressGuard.literal(hop.uri().getHost()) ? Runnable::run : LOOKUPS;
        CompletableFuture.runAsync(() -> guard.check(hop.uri()), checker).thenCompose(checked -> {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new CompletionException(new TimeoutException());
            CompletableFuture<HttpResponse<byte[]>> sent = exchange.send(hop, Duration.ofNanos(left), maxBytes);
            result.whenComplete((done, error) -> sent.cancel(true));
            return sent.orTimeout(left, TimeUnit.NANOSECONDS);   // bounds the body too, unlike the request timeout
        }).whenComplete((response, error) -> {
            if (result.isDone()) return;
            if (error != null) {
                result.completeExceptionally(new Failed(hop, Causes.unwrap(error)));
                return;
            }
            Optional<Hop> next = hop.redirect(response.statusCode(), response.headers());
            if (next.isEmpty()) {
                result.complete(new Answer(hop, response));
            } else if (redirects == maxRedirects) {
                result.completeExceptionally(new Failed(hop, new NodeException("too_many_redirects", hop.display()
                        + " redirected again after " + maxRedirects + " redirects", false)));
            } else {
                send(onRedirect.apply(next.get()), redirects + 1);
            }
        });
    }
}
