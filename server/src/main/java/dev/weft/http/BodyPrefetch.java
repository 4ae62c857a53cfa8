package dev.weft.http;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request's body before the application sees it, without holding a thread while bytes are awaited: the
 * body (up to {@code maxBytes}) is gathered as it arrives, through Jetty's demand callbacks, and only then is the
 * request handed on, so a servlet that reads it blocking never waits. A body that arrives slower than
 * {@link HttpLimits#minBodyRate()} on average, once {@link HttpLimits#bodyGrace()} has passed, is cut off with
 * 408 (problem+json) and its connection closed. Bodies larger than {@code maxBytes} (file uploads) are handed on
 * after that much and stream, guarded by the idle timeout and Jetty's minimum data rate.
 *
 * <p>An upload to one of {@code uploadPaths} that asks {@code Expect: 100-continue} and declares a body larger than
 * {@code maxBytes} is handed on unread: reading it would tell the client to send it all before the route could refuse
 * it by its declared size (a file over the limit). The client sends it only once the route reads it, so the refusal
 * reaches the client before any of the body is on the wire, instead of racing the close of a connection that still
 * has the body arriving. Only routes that check the caller and the declared size before reading are listed: any other
 * would hold a thread while a client that was told to continue trickles its body (as a plain large body would after
 * its first {@code maxBytes}).
 */
public final class BodyPrefetch extends Handler.Wrapper {

    private final ConnectionGuard guard;
    private final HttpLimits limits;
    private final long maxBytes;
    private final Set<String> uploadPaths;

    public BodyPrefetch(ConnectionGuard guard, HttpLimits limits, long maxBytes, Set<String> uploadPaths, Handler next) {
        super(next);
        this.guard = guard;
        this.limits = limits;
        this.maxBytes = maxBytes;
        this.uploadPaths = Set.copyOf(uploadPaths);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connection connection = request.getConnectionMetaData().getConnection();
        guard.requestStarted(connection);
        Request.addCompletionListener(request, failure -> guard.requestEnded(connection));
        boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        long length = request.getLength();
        if (length == 0 || (length < 0 && !chunked)) return super.handle(request, response, callback);
        if (length > maxBytes && expectsContinue(request) && HttpMethod.POST.is(request.getMethod())
                && uploadPaths.contains(Request.getPathInContext(request))) {
            return super.handle(request, response, callback);
        }
        new Gathering(request, response, callback).read(false);
        return true;
    }

    private static boolean expectsContinue(Request request) {
        return request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString());
    }

    /** One body being gathered; its methods run on Jetty's threads, one at a time (synchronized). */
    private final class Gathering implements Invocable.Task {

        private final Request request;
        private final Response response;
        private final Callback callback;
        private final Deque<Content.Chunk> chunks = new ArrayDeque<>();
        private final long started = System.nanoTime();
        private long bytes;
        private boolean settled;
        private Scheduler.Task check;

        Gathering(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;   // it only reads what has arrived; handing on is executed apart
        }

        /** Called by Jetty when more of the body may be read. */
        @Override
        public void run() {
            read(true);
        }

        synchronized void read(boolean fromDemand) {
            while (!settled) {
                if (behind()) {
                    refuse("the request body arrived slower than " + limits.minBodyRate() + " bytes a second");
                    return;
                }
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    scheduleCheck();
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    if (chunk.getFailure() instanceof TimeoutException) {
                        refuse("the request body stopped arriving");
                    } else {
                        settle();
                        callback.failed(chunk.getFailure());
                    }
                    return;
                }
                chunks.add(chunk);
                bytes += chunk.remaining();
                if (chunk.isLast() || bytes > maxBytes) {
                    settle();
                    if (fromDemand) request.getContext().execute(this::handOn);
                    else handOn();
                    return;
                }
            }
        }

        /** Whether the body is behind the minimum rate: fewer bytes than the rate allows after the grace. */
        private boolean behind() {
            if (limits.minBodyRate() <= 0) return false;
            long elapsed = System.nanoTime() - started - limits.bodyGrace().toNanos();
            return elapsed > 0 && bytes < (double) limits.minBodyRate() * elapsed / 1e9;
        }

        /** Checks again when the body would fall behind if nothing more came. */
        private void scheduleCheck() {
            if (limits.minBodyRate() <= 0) return;
            if (check != null) check.cancel();
            long due = limits.bodyGrace().toNanos() + (long) ((bytes + 1) * 1e9 / limits.minBodyRate());
            long delay = Math.max(1, started + due - System.nanoTime());
            check = request.getComponents().getScheduler().schedule(this::recheck, delay, TimeUnit.NANOSECONDS);
        }

        private synchronized void recheck() {
            if (!settled && behind()) refuse("the request body arrived slower than " + limits.minBodyRate() + " bytes a second");
            else if (!settled) scheduleCheck();
        }

        private void settle() {
            settled = true;
            if (check != null) check.cancel();
        }

        private void refuse(String detail) {
            settle();
            chunks.forEach(Content.Chunk::release);
            chunks.clear();
            response.setStatus(408);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemMapper.CONTENT_TYPE);
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            response.write(true, ByteBuffer.wrap(ProblemMapper.body(ApiException.Kind.REQUEST_TIMEOUT, detail, List.of())),
                    callback);
        }

        private void handOn() {
            Replay replay = new Replay(request, chunks);
            Callback done = Callback.from(callback, replay::release);
            try {
                if (!BodyPrefetch.super.handle(replay, response, done)) Response.writeError(request, response, done, 404);
            } catch (Throwable failure) {
                Response.writeError(request, response, done, failure);
            }
        }
    }

    /** The request with its gathered body put back in front of whatever is still to come. */
    private static final class Replay extends Request.Wrapper {

        private final Deque<Content.Chunk> chunks;

        Replay(Request request, Deque<Content.Chunk> chunks) {
            super(request);
            this.chunks = chunks;
        }

        @Override
        public Content.Chunk read() {
            synchronized (chunks) {
                if (!chunks.isEmpty()) return chunks.removeFirst();
            }
            return super.read();
        }

        @Override
        public void demand(Runnable demandCallback) {
            boolean ready;
            synchronized (chunks) {
                ready = !chunks.isEmpty();
            }
            if (ready) demandCallback.run();
            else super.demand(demandCallback);
        }

        void release() {
            synchronized (chunks) {
                chunks.forEach(Content.Chunk::release);
                chunks.clear();
            }
        }
    }
}
