package dev.weft.store;

import java.time.Instant;

/** One line of the audit log: who ({@code actor}) did what ({@code action}) to which object, when and from where. */
public record AuditEntry(long id, Instant at, String actor, String action, String objectType, String objectId,
                         String detail, String address) {}
