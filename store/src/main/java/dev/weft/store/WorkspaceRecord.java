package dev.weft.store;

import java.time.Instant;

/** A workspace as one of its members sees it: its id, name, when it was made, and the member's role in it. */
public record WorkspaceRecord(long id, String name, Instant createdAt, String role) {}
