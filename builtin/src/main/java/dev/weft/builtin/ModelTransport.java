package dev.weft.builtin;

import dev.weft.node.Deltas;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How the {@code agent} node sends one request to a model provider and gets its answer, without holding a thread:
 * over HTTP, every address checked by the {@link AddressGuard}, the exchange bounded by a deadline and the body by a
 * size limit, no redirect followed; streamed answers (server-sent events) are read by {@link LlmStream} as they
 * arrive. A package-private seam, so that a benchmark can measure the node's own work per iteration without a
 * network.
 */
interface ModelTransport {

    /**
     * An answer: its status, its {@code Retry-After} and {@code Content-Type} headers, and either its body (whole)
     * or, when the transport read a streamed 2xx answer itself, that {@code answer} (then {@code body} is null).
     */
    record Reply(int status, Optional<String> retryAfter, Optional<String> contentType, byte[] body,
                 LlmAnswer answer) {}

    /** Asks for a streamed answer: the protocol, the provider as messages name it, where its text goes. */
    record Streamed(LlmProvider provider, String where, Deltas deltas) {}

    /**
     * POSTs {@code body} to {@code endpoint}; cancelling the future stops the exchange.
     *
     * @param endpoint where to send it
     * @param headers  the headers besides Content-Type and Accept
     * @param body     the JSON body
     * @param deadline when to give up, in {@link System#nanoTime()} terms
     * @param streamed how to read a streamed answer, or null when the body does not ask for one
     * @return the answer
     */
    CompletableFuture<Reply> post(URI endpoint, Map<String, String> headers, byte[] body, long deadline,
                                  Streamed streamed);

    /** Over HTTP with {@code client}, checking every address with {@code guard}, bodies at most {@code maxBytes}. */
    static ModelTransport http(HttpClient client, AddressGuard guard, long maxBytes) {
        return (endpoint, headers, body, deadline, streamed) -> {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put("Content-Type", "application/json");
            all.put("Accept", streamed == null ? "application/json" : "text/event-stream, application/json");
            if (streamed == null) {
                CompletableFuture<Fetch.Answer> fetch = Fetch.start(client, guard, new Hop("POST", endpoint, all, body),
                        deadline, maxBytes, 0, h -> h);
                CompletableFuture<Reply> reply = fetch.thenApply(answer -> new Reply(answer.response().statusCode(),
                        answer.response().headers().firstValue("retry-after"),
                        answer.response().headers().firstValue("content-type"), answer.response().body(), null));
                reply.whenComplete((done, error) -> fetch.cancel(true));   // a cancelled reply stops the exchange
                return reply;
            }
            AtomicReference<CompletableFuture<?>> exchange = new AtomicReference<>();
            Executor checker = AddressGuard.literal(endpoint.getHost()) ? Runnable::run : Fetch.LOOKUPS;
            CompletableFuture<Reply> reply = CompletableFuture.runAsync(() -> guard.check(endpoint), checker)
                    .thenCompose(checked -> {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) throw new CompletionException(new TimeoutException());
                        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofNanos(left))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                        if ("http".equalsIgnoreCase(endpoint.getScheme())) request.version(HttpClient.Version.HTTP_1_1);
                        all.forEach(request::header);
                        CompletableFuture<HttpResponse<LlmStream.Reply>> sent = client.sendAsync(request.build(),
                                LlmStream.handler(streamed.provider(), streamed.where(), streamed.deltas(), maxBytes));
                        exchange.set(sent);
                        return sent.orTimeout(left, TimeUnit.NANOSECONDS);
                    })
                    .thenApply(response -> {
                        Optional<String> retryAfter = response.headers().firstValue("retry-after");
                        Optional<String> contentType = response.headers().firstValue("content-type");
                        if (response.body() instanceof LlmStream.Reply.Answer answer) {
                            return new Reply(response.statusCode(), retryAfter, contentType, null, answer.answer());
                        }
                        return new Reply(response.statusCode(), retryAfter, contentType,
                                ((LlmStream.Reply.Refused) response.body()).body(), null);
                    });
            reply.whenComplete((done, error) -> {
                CompletableFuture<?> sent = exchange.get();
                if (sent != null) sent.cancel(true);
            });
            return reply;
        };
    }
}
