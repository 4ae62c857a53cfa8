package dev.weft.task;

/** Why a step attempt or a task failed: a stable machine-readable type, a message and the node at fault. */
public record TaskError(String type, String message, String nodeId) {}
