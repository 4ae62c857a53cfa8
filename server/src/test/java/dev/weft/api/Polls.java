package dev.weft.api;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Reads something the way a client polls it (a task, a document, a row another process writes) until it is as
 * wanted, with Awaitility; a poll that runs out fails naming what was awaited and the last value read.
 */
public final class Polls {

    private Polls() {}

    /** Reads {@code read} every {@code every} (the first at once) until {@code done} holds; at most {@code limit}. */
    public static <T> T until(String what, Duration limit, Duration every, Callable<T> read, Predicate<T> done) {
        AtomicReference<T> last = new AtomicReference<>();
        try {
            return Awaitility.await(what).atMost(limit).pollDelay(Duration.ZERO).pollInterval(every).pollInSameThread()
                    .until(() -> {
                        T value = read.call();
                        last.set(value);
                        return value;
                    }, done::test);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + ": not within " + limit.toMillis() + " ms; last read " + last.get(), e);
        }
    }
}
