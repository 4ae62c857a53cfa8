package dev.weft.builtin;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * How the {@code agent} node sends one request to a model provider and gets its answer, without holding a thread:
 * over HTTP through {@link Fetch} (the address guard, the deadline, the size limit, no redirects followed). A
 * package-private seam, so that a benchmark can measure the node's own work per iteration without a network.
 */
interface ModelTransport {

    /** An answer: its status, its {@code Retry-After} and {@code Content-Type} headers, and its body. */
    record Reply(int status, Optional<String> retryAfter, Optional<String> contentType, byte[] body) {}

    /**
     * POSTs {@code body} to {@code endpoint}; the future fails as {@link Fetch} futures do, and cancelling it stops
     * the exchange.
     *
     * @param endpoint where to send it
     * @param headers  the headers besides Content-Type and Accept
     * @param body     the JSON body
     * @param deadline when to give up, in {@link System#nanoTime()} terms
     * @return the answer
     */
    CompletableFuture<Reply> post(URI endpoint, Map<String, String> headers, byte[] body, long deadline);

    /** Over HTTP with {@code client}, checking every address with {@code guard}, bodies at most {@code maxBytes}. */
    static ModelTransport http(HttpClient client, AddressGuard guard, long maxBytes) {
        return (endpoint, headers, body, deadline) -> {
            Map<String, String> all = new java.util.LinkedHashMap<>(headers);
            all.put("Content-Type", "application/json");
            all.put("Accept", "application/json");
            CompletableFuture<Fetch.Answer> fetch = Fetch.start(client, guard, new Hop("POST", endpoint, all, body),
                    deadline, maxBytes, 0, h -> h);
            CompletableFuture<Reply> reply = fetch.thenApply(answer -> new Reply(answer.response().statusCode(),
                    answer.response().headers().firstValue("retry-after"),
                    answer.response().headers().firstValue("content-type"), answer.response().body()));
            reply.whenComplete((done, error) -> fetch.cancel(true));   // a cancelled reply stops the exchange
            return reply;
        };
    }
}
