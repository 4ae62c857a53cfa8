package dev.weft.engine;

import java.time.Instant;

/** Runs an action at an instant of the engine's clock: retry backoffs and step timeouts. Tests use a manual one. */
public interface Timer {

    /** Schedules {@code action}; the returned handle cancels it if it has not run. */
    Runnable schedule(Instant at, Runnable action);
}
