package dev.weft.engine.testing;

import dev.weft.json.Json;
import dev.weft.node.NodeCall;
import dev.weft.node.NodeOutput;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Node type {@code block}: every call waits until the test {@link #release()}s it, then emits
 * {@code {attempt, ...inputs}}. It answers interruption by failing, unless made {@link #ignoringInterrupts()}
 * (a node that answers late). Tests wait for its calls with {@link #awaitStarted}, never by sleeping.
 */
public final class Blocking extends TestNode {

    public static final Duration WAIT_LIMIT = Duration.ofSeconds(5);

    private final CountDownLatch release = new CountDownLatch(1);
    private final Semaphore started = new Semaphore(0);
    private final Semaphore interrupted = new Semaphore(0);
    private final Semaphore answered = new Semaphore(0);
    private final boolean ignoreInterrupts;

    public Blocking() {
        this(false);
    }

    private Blocking(boolean ignoreInterrupts) {
        super("block");
        this.ignoreInterrupts = ignoreInterrupts;
    }

    /** A variant that keeps waiting when interrupted and answers once released. */
    public static Blocking ignoringInterrupts() {
        return new Blocking(true);
    }

    @Override
    protected NodeOutput answer(NodeCall call) throws InterruptedException {
        started.release();
        try {
            waitForRelease();
            return NodeOutput.success(Json.object().put("attempt", call.attempt()).setAll(call.inputs()));
        } finally {
            answered.release();
        }
    }

    private void waitForRelease() throws InterruptedException {
        boolean wasInterrupted = false;
        while (true) {
            try {
                release.await();
                break;
            } catch (InterruptedException e) {
                interrupted.release();
                if (!ignoreInterrupts) throw e;
                wasInterrupted = true;
            }
        }
        if (wasInterrupted) Thread.currentThread().interrupt();
    }

    /** Lets every waiting and future call answer. */
    public void release() {
        release.countDown();
    }

    /** Waits until {@code count} more calls have started; false when they did not within {@link #WAIT_LIMIT}. */
    public boolean awaitStarted(int count) throws InterruptedException {
        return started.tryAcquire(count, WAIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until {@code count} more calls have been interrupted. */
    public boolean awaitInterrupted(int count) throws InterruptedException {
        return interrupted.tryAcquire(count, WAIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until {@code count} more calls have returned or thrown. */
    public boolean awaitAnswered(int count) throws InterruptedException {
        return answered.tryAcquire(count, WAIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
