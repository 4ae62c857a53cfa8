package dev.weft.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.json.Json;
import dev.weft.node.Deltas;
import dev.weft.node.NodeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Reads a provider's answer as it arrives, without a thread waiting on it: a server-sent event stream
 * ({@code text/event-stream}, asked for with {@link LlmProvider#streaming}) is parsed event by event into an
 * {@link LlmAnswer}, each piece of text passed to the step's {@link Deltas}; a whole JSON answer (a server that
 * ignores {@code stream}, or a request without it) is read at once; any other status keeps its body for the error.
 *
 * <p>Use {@link #handler} with {@link HttpClient#sendAsync} to see the status and headers (a retry loop reads
 * {@code Retry-After}), or {@link #send} for the answer alone.
 */
final class LlmStream {

    private LlmStream() {}

    /** A response's body as this reader saw it. */
    sealed interface Reply {
        /** A 2xx answer, streamed or whole. */
        record Answer(LlmAnswer answer) implements Reply {}

        /** A non-2xx answer's body, for {@link #failure}. */
        record Refused(byte[] body) implements Reply {}
    }

    /**
     * The body handler of one exchange.
     *
     * @param provider the wire protocol
     * @param where    the provider and endpoint as messages name them, e.g. {@code openai http://127.0.0.1:8080/v1/...}
     * @param deltas   where text goes as it arrives
     * @param maxBytes the most bytes the body may have, streamed or not
     */
    static HttpResponse.BodyHandler<Reply> handler(LlmProvider provider, String where, Deltas deltas, long maxBytes) {
        return info -> {
            boolean ok = info.statusCode() >= 200 && info.statusCode() <= 299;
            boolean events = info.headers().firstValue("content-type").orElse("").toLowerCase().contains("text/event-stream");
            if (ok && events) return new Events(LlmStreamAssembly.of(provider, where, deltas), where, maxBytes);
            HttpResponse.BodySubscriber<byte[]> bytes = LimitedBody.handler(maxBytes, false).apply(info);
            return HttpResponse.BodySubscribers.mapping(bytes, body -> ok
                    ? new Reply.Answer(provider.answer(whole(body, info.statusCode(), where)))
                    : new Reply.Refused(body));
        };
    }

    /**
     * Sends one request and reads its answer: completes with the answer, or fails with a {@link NodeException}
     * naming the provider ({@link LlmNode#STATUS} for a non-2xx answer, {@link LlmNode#ERROR} for a broken or cut
     * stream, an {@code error} event, no connection). Cancelling the returned stage cancels the exchange.
     *
     * @param redact hides the credential in messages built from what the provider said
     */
    static CompletableFuture<LlmAnswer> send(HttpClient client, HttpRequest request, LlmProvider provider, String where,
                                             Deltas deltas, long maxBytes, UnaryOperator<String> redact) {
        AtomicLong shown = new AtomicLong();
        Deltas counted = new Deltas() {
            @Override
            public void text(String text) {
                shown.addAndGet(text.length());
                deltas.text(text);
            }
        };
        CompletableFuture<HttpResponse<Reply>> exchange =
                client.sendAsync(request, handler(provider, where, counted, maxBytes));
        CompletableFuture<LlmAnswer> answer = exchange.handle((response, error) -> {
            if (error != null) throw failure(error, where, maxBytes, redact, shown.get());
            if (response.body() instanceof Reply.Answer a) return a.answer();
            throw failure(response, where, redact);
        });
        answer.whenComplete((a, e) -> {
            if (answer.isCancelled()) exchange.cancel(true);
        });
        return answer;
    }

    /** The failure a non-2xx answer stands for: {@link LlmNode#STATUS}, retryable for 429 and 5xx. */
    static NodeException failure(HttpResponse<Reply> response, String where, UnaryOperator<String> redact) {
        byte[] body = response.body() instanceof Reply.Refused r ? r.body() : new byte[0];
        String text = ResponseMode.text(body, response.headers().firstValue("content-type"));
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            json = null;
        }
        int status = response.statusCode();
        return new NodeException(LlmNode.STATUS, where + " answered " + status + ": "
                + redact.apply(LlmProvider.errorMessage(json, text)), LlmNode.RETRIED.contains(status));
    }

    /**
     * The failure an exchange that threw after {@code shownChars} characters of text reached the deltas stands for.
     * The client may fail the exchange with the connection's own error before the stream's reader reports it: once
     * text was shown, that is still a stream that broke (retryable), and says so.
     */
    static NodeException failure(Throwable error, String where, long maxBytes, UnaryOperator<String> redact,
                                 long shownChars) {
        return afterText(failure(error, where, maxBytes, redact), error, where, shownChars);
    }

    /**
     * What {@code failure}, made of {@code error}, says when {@code shownChars} characters of text were shown before
     * it: the stream's reader's own failure and a time-out as they are; any other (the connection's error, reported
     * by the client before the reader could) is a stream that broke before its end, retryable.
     */
    static NodeException afterText(NodeException failure, Throwable error, String where, long shownChars) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof NodeException) return failure;
        }
        if (shownChars == 0 || dev.weft.task.ErrorTypes.TIMEOUT.equals(failure.type())) return failure;
        return new NodeException(LlmNode.ERROR, where + " stream broke before its end (" + failure.getMessage()
                + "), after " + shownChars + " characters of text", true);
    }

    /**
     * The failure an exchange that threw stands for: the reader's own {@link NodeException} as it is, a time-out,
     * a body over the limit, else {@link LlmNode#ERROR} (retryable when the connection failed).
     */
    static NodeException failure(Throwable error, String where, long maxBytes, UnaryOperator<String> redact) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof NodeException e) return e;
            if (t instanceof HttpTimeoutException) {
                return new NodeException(dev.weft.task.ErrorTypes.TIMEOUT, where + " gave no answer in time", true);
            }
            if (t instanceof LimitedBody.TooLarge) {
                return new NodeException(LlmNode.ERROR, where + " answered with a body over the limit of " + maxBytes
                        + " bytes", false);
            }
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return new NodeException(LlmNode.ERROR, redact.apply(dev.weft.node.NetworkFailure.describe(cause, where)),
                cause instanceof IOException);
    }

    private static JsonNode whole(byte[] body, int status, String where) {
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            if (json == null || json.isMissingNode()) throw new IOException("empty");
            return json;
        } catch (IOException e) {
            throw new NodeException(LlmNode.ERROR, where + " answered " + status + " with a body that is not JSON", true);
        }
    }

    /**
     * Splits a server-sent event stream into lines and events as its bytes arrive (lines end in LF, CRLF or CR;
     * a line may be split anywhere, even inside a UTF-8 character), and feeds the events to an assembly.
     */
    private static final class Events implements HttpResponse.BodySubscriber<Reply> {
        private final LlmStreamAssembly assembly;
        private final String where;
        private final long maxBytes;
        private final CompletableFuture<Reply> result = new CompletableFuture<>();
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final StringBuilder data = new StringBuilder();
        private String event = "";
        private boolean hasData;
        private boolean afterCr;
        private long bytes;
        private Flow.Subscription subscription;

        Events(LlmStreamAssembly assembly, String where, long maxBytes) {
            this.assembly = assembly;
            this.where = where;
            this.maxBytes = maxBytes;
            result.whenComplete((r, e) -> {
                if (result.isCancelled() && subscription != null) subscription.cancel();
            });
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) return;
            try {
                for (ByteBuffer buffer : buffers) {
                    bytes += buffer.remaining();
                    if (bytes > maxBytes) throw new LimitedBody.TooLarge(maxBytes);
                    while (buffer.hasRemaining() && !result.isDone()) read(buffer.get());
                }
            } catch (NodeException | IOException e) {
                subscription.cancel();
                result.completeExceptionally(e);
            }
        }

        private void read(byte b) {
            if (b == '\n' && afterCr) {
                afterCr = false;
                return;
            }
            afterCr = b == '\r';
            if (b == '\n' || b == '\r') {
                line(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }

        /** One line, by the rules of the HTML standard's event stream interpretation. */
        private void line(String text) {
            if (text.isEmpty()) {
                dispatch();
                return;
            }
            if (text.startsWith(":")) return;   // a comment, e.g. a keep-alive
            int colon = text.indexOf(':');
            String field = colon < 0 ? text : text.substring(0, colon);
            String value = colon < 0 ? "" : text.substring(colon + 1);
            if (value.startsWith(" ")) value = value.substring(1);
            switch (field) {
                case "event" -> event = value;
                case "data" -> {
                    if (hasData) data.append('\n');
                    data.append(value);
                    hasData = true;
                }
                default -> { }   // id, retry: nothing to do for a single answer
            }
        }

        private void dispatch() {
            if (hasData) {
                assembly.event(event, data.toString());
                if (assembly.done()) result.complete(new Reply.Answer(assembly.answer()));
            }
            event = "";
            data.setLength(0);
            hasData = false;
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(result.isDone() ? error : new NodeException(LlmNode.ERROR, where
                    + " stream broke before its end (" + dev.weft.node.NetworkFailure.describe(error, null) + "), after "
                    + assembly.text.length() + " characters of text", true));
        }

        @Override
        public void onComplete() {
            if (result.isDone()) return;
            result.completeExceptionally(new NodeException(LlmNode.ERROR, where + " stream ended before its end marker ("
                    + (assembly instanceof LlmStreamAssembly.Anthropic ? "message_stop" : "data: [DONE]")
                    + "): the answer was cut off after " + assembly.text.length() + " characters of text", true));
        }

        @Override
        public CompletionStage<Reply> getBody() {
            return result;
        }
    }
}
