package dev.weft.builtin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body as it streams in, and gives up as soon as it passes a size limit, cancelling the
 * rest: a large or endless answer costs at most the limit in memory.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

    private final long limit;
    private final long declared;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    private LimitedBody(long limit, long declared) {
        this.limit = limit;
        this.declared = declared;
    }

    /**
     * Bodies of at most {@code limit} bytes. A declared Content-Length over the limit fails at once, except for
     * HEAD, whose Content-Length describes a body that never comes.
     */
    static HttpResponse.BodyHandler<byte[]> handler(long limit, boolean head) {
        return info -> new LimitedBody(limit, head ? -1 : info.headers().firstValueAsLong("content-length").orElse(-1));
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (declared > limit) {
            fail();
        } else {
            subscription.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) return;
        for (ByteBuffer buffer : buffers) {
            if (bytes.size() + (long) buffer.remaining() > limit) {
                fail();
                return;
            }
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            bytes.writeBytes(chunk);
        }
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(bytes.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    private void fail() {
        subscription.cancel();
        result.completeExceptionally(new TooLarge(limit));
    }

    /** The body passed the limit. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("the answer's body is over the limit of " + limit + " bytes");
        }
    }
}
