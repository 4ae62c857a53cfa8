package dev.weft.audit;

import dev.weft.store.JdbcAuditLog;
import java.time.Clock;

/** Records who did what to which object: every management change, sign-in and failed sign-in. */
public final class Audit {

    /** What the admin token is called in the log (it belongs to no person). */
    public static final String ADMIN_TOKEN = "admin-token";

    private final JdbcAuditLog log;
    private final Clock clock;

    public Audit(JdbcAuditLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /** Appends one entry, now; {@code objectType}, {@code objectId}, {@code detail} and {@code address} may be null. */
    public void record(String actor, String action, String objectType, String objectId, String detail, String address) {
        log.append(clock.instant(), actor, action, objectType, objectId, detail, address);
    }

    /** Appends one entry of workspace {@code workspaceId}, now: a change made in that workspace. */
    public void record(long workspaceId, String actor, String action, String objectType, String objectId,
                       String detail, String address) {
        log.append(workspaceId, clock.instant(), actor, action, objectType, objectId, detail, address);
    }

    public JdbcAuditLog log() {
        return log;
    }

    public Clock clock() {
        return clock;
    }
}
