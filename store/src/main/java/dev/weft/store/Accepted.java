package dev.weft.store;

/** The answer to an accept: the task, and whether it was made now ({@code false}: an existing task was found). */
public record Accepted(TaskRecord task, boolean created) {}
