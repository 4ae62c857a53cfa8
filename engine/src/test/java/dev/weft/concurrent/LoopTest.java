package dev.weft.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LoopTest {

    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void aRoundThatThrowsAnErrorDoesNotEndTheLoop() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        CountDownLatch threw = new CountDownLatch(1);
        CountDownLatch ranAgain = new CountDownLatch(1);
        try (Loop loop = Loop.onWake("test-loop", HOUR, () -> {
            if (rounds.incrementAndGet() == 1) {
                threw.countDown();
                throw new StackOverflowError("deep");
            }
            ranAgain.countDown();
        }).start()) {
            assertThat(threw.await(5, TimeUnit.SECONDS)).isTrue();
            loop.wakeUp();
            assertThat(ranAgain.await(5, TimeUnit.SECONDS)).as("a round after the Error").isTrue();
        }
    }

    @Test
    void repeatedErrorsAndExceptionsBackOffAndTheLoopGoesOn() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        CountDownLatch recovered = new CountDownLatch(1);
        try (Loop loop = Loop.every("test-loop", Duration.ofMillis(2), () -> {
            int n = rounds.incrementAndGet();
            if (n == 1) throw new AssertionError("one");
            if (n == 2) throw new NoClassDefFoundError("two");
            if (n == 3) throw new IllegalStateException("three");
            recovered.countDown();
        }).start()) {
            assertThat(recovered.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(loop.stopping()).isFalse();
        }
        assertThat(rounds.get()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void runOnceRunsARoundOnTheCallersThreadAndReportsItsFailure() {
        AtomicInteger rounds = new AtomicInteger();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Loop loop = Loop.every("test-loop", HOUR, () -> {
            ranOn.set(Thread.currentThread());
            if (rounds.incrementAndGet() == 1) throw new OutOfMemoryError("pretend");
        });
        assertThat(loop.runOnce()).isFalse();
        assertThat(loop.runOnce()).isTrue();
        assertThat(rounds.get()).isEqualTo(2);
        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
        loop.close();
    }

    @Test
    void backoffDoublesFromTheSecondFailureUpToItsCap() {
        Loop loop = Loop.every("test-loop", Duration.ofSeconds(1), () -> {});
        assertThat(loop.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(loop.backoff(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(loop.backoff(6)).isEqualTo(Loop.BACKOFF_MAX);
        assertThat(loop.backoff(1_000)).isEqualTo(Loop.BACKOFF_MAX);
        Loop slow = Loop.every("test-loop", Duration.ofMinutes(5), () -> {});
        assertThat(slow.backoff(2)).as("never shorter than the period").isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void wakeUpRunsARoundBeforeThePeriodEnds() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(2);
        try (Loop loop = Loop.every("test-loop", HOUR, () -> {
            first.countDown();
            second.countDown();
        }).start()) {
            loop.wakeUp();
            assertThat(first.await(5, TimeUnit.SECONDS)).as("woken before its first period").isTrue();
            loop.wakeUp();
            assertThat(second.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void anInterruptThatIsNotACloseDoesNotEndTheLoop() throws Exception {
        AtomicReference<Thread> thread = new AtomicReference<>();
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(2);
        try (Loop loop = Loop.onWake("test-loop", HOUR, () -> {
            thread.set(Thread.currentThread());
            first.countDown();
            second.countDown();
        }).start()) {
            assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
            thread.get().interrupt();
            assertThat(second.await(5, TimeUnit.SECONDS)).as("a round after the interrupt").isTrue();
            assertThat(thread.get().isAlive()).isTrue();
            assertThat(loop.stopping()).isFalse();
        }
    }

    @Test
    void closeEndsAWaitingLoopAtOnce() {
        AtomicInteger rounds = new AtomicInteger();
        Loop loop = Loop.every("test-loop", HOUR, rounds::incrementAndGet).start();
        // the bound is below the close grace: a close that waited for the grace fails here
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> loop.close());
        assertThat(loop.stopping()).isTrue();
        assertThat(rounds.get()).isZero();
    }

    @Test
    void closeInterruptsARoundThatOutlastsTheGraceAndNoRoundFollows() throws Exception {
        AtomicReference<Thread> thread = new AtomicReference<>();
        AtomicInteger rounds = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Loop loop = Loop.onWake("test-loop", HOUR, () -> {
            rounds.incrementAndGet();
            thread.set(Thread.currentThread());
            started.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw new IllegalStateException("interrupted", e);
            }
        }).start();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        loop.close(Duration.ofMillis(20));
        assertThat(interrupted.getCount()).isZero();
        assertThat(thread.get().isAlive()).isFalse();
        assertThat(rounds.get()).isEqualTo(1);
    }
}
