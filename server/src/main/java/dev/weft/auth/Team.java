package dev.weft.auth;

import dev.weft.audit.Audit;
import dev.weft.audit.AuditRetention;
import dev.weft.store.Database;
import dev.weft.store.JdbcAuditLog;
import dev.weft.store.JdbcSessionStore;
import dev.weft.store.JdbcSignInAttempts;
import dev.weft.store.JdbcUserStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The people side of a server, made once at start: accounts (the first owner carried over from an older data
 * folder), sessions in the database, the audit log and its retention loop, and the route policy that checks roles.
 */
public record Team(Accounts accounts, Sessions sessions, Audit audit, RoutePolicy policy, SignInGuard guard,
                   AuditRetention retention, Clock clock) {

    /** Opens the team over {@code database}, upgrading an older data folder, and starts the retention loop. */
    public static Team open(Database database, Path dataDir, Clock clock, Duration auditKeep, PasswordHasher.Cost cost) {
        JdbcUserStore users = new JdbcUserStore(database, clock);
        Accounts accounts = new Accounts(users, new PasswordHasher(cost));
        accounts.upgrade(dataDir);
        Sessions sessions = new Sessions(new JdbcSessionStore(database), clock, Sessions.LIFETIME_DEFAULT,
                Sessions.IDLE_DEFAULT);
        Audit audit = new Audit(new JdbcAuditLog(database), clock);
        AuditRetention retention = new AuditRetention(audit, auditKeep, sessions::prune, clock).start();
        return new Team(accounts, sessions, audit, new RoutePolicy(audit),
                new SignInGuard(clock, SignInGuard.Budgets.DEFAULT, new JdbcSignInAttempts(database)), retention, clock);
    }
}
