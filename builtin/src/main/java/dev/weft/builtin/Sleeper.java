package dev.weft.builtin;

import java.time.Duration;

/** Waits between a node's own retries; tests pass one that records the waits instead of sleeping. */
@FunctionalInterface
interface Sleeper {

    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
