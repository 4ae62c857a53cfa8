package dev.weft.event;

import dev.weft.http.ApiException;
import java.math.BigInteger;

/**
 * Where a stream of a task's events stands, and its event ids: {@code <finished>.<n>}, where {@code <finished>} is a
 * hexadecimal bit set of the nodes whose step.finished (or step.failed) event the stream has sent (bit i is the
 * flow version's i-th node) and {@code n} counts the stream's events. A client that reconnects with
 * {@code Last-Event-ID} gets exactly the finished steps it has not seen, however the events were ordered.
 */
final class EventCursor {

    private BigInteger finished;
    private long count;
    private boolean started;

    private EventCursor(BigInteger finished, long count, boolean started) {
        this.finished = finished;
        this.count = count;
        this.started = started;
    }

    static EventCursor fresh() {
        return new EventCursor(BigInteger.ZERO, 0, false);
    }

    /** The cursor a {@code Last-Event-ID} names (any event implies task.started was sent); 400 when garbled. */
    static EventCursor resume(String lastEventId) {
        int dot = lastEventId.indexOf('.');
        try {
            if (dot > 0 && dot <= 4096) {
                BigInteger finished = new BigInteger(lastEventId.substring(0, dot), 16);
                long count = Long.parseLong(lastEventId.substring(dot + 1));
                if (finished.signum() >= 0 && count >= 0) return new EventCursor(finished, count + 1, true);
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new ApiException(ApiException.Kind.INVALID_INPUT, "Last-Event-ID",
                "is not an event id of this stream (expected <hex>.<number>, as sent in 'id:')");
    }

    boolean started() {
        return started;
    }

    void markStarted() {
        started = true;
    }

    boolean finished(int node) {
        return finished.testBit(node);
    }

    void markFinished(int node) {
        finished = finished.setBit(node);
    }

    /** The id of the next event, after the marks it makes. */
    String nextId() {
        return finished.toString(16) + "." + count++;
    }
}
