package dev.weft.task;

import java.time.Instant;

/** One try of a step: when it ran and, when it failed, why. */
public record Attempt(int number, Instant startedAt, Instant finishedAt, TaskError error) {}
