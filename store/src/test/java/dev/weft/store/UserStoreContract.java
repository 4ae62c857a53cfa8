package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What V17 keeps, on every database Weft runs on: users with one first owner, roles that never leave the workspace
 * without an owner, sessions that end idle, expired, signed out or with their user, single-use invitations, and
 * the audit log's filters and retention.
 */
abstract class UserStoreContract {

    final ManualClock clock = new ManualClock();
    Database database;
    JdbcUserStore users;
    JdbcSessionStore sessions;
    JdbcAuditLog audit;

    abstract Database openFresh();

    @BeforeEach
    void open() {
        database = openFresh();
        users = new JdbcUserStore(database, clock);
        sessions = new JdbcSessionStore(database);
        audit = new JdbcAuditLog(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    UserRecord made(JdbcUserStore.Created created) {
        assertThat(created).isInstanceOf(JdbcUserStore.Made.class);
        return ((JdbcUserStore.Made) created).user();
    }

    @Test
    void only_one_first_owner_is_made_and_emails_are_unique() {
        UserRecord owner = made(users.createFirstOwner("ann@example.com", "h1"));
        assertThat(owner.role()).isEqualTo("owner");
        assertThat(users.createFirstOwner("bob@example.com", "h2")).isInstanceOf(JdbcUserStore.Taken.class);
        assertThat(users.create("ann@example.com", "h3", "viewer")).isInstanceOf(JdbcUserStore.Taken.class);
        assertThat(made(users.create("bob@example.com", "h2", "viewer")).role()).isEqualTo("viewer");
        assertThat(users.list()).extracting(UserRecord::email).containsExactly("ann@example.com", "bob@example.com");
        assertThat(users.findByEmail("ann@example.com").orElseThrow().passwordHash()).isEqualTo("h1");
    }

    @Test
    void the_last_enabled_owner_can_neither_step_down_nor_be_disabled() {
        UserRecord owner = made(users.createFirstOwner("ann@example.com", "h1"));
        UserRecord bob = made(users.create("bob@example.com", "h2", "editor"));
        assertThat(users.setRole(owner.id(), "viewer")).isFalse();
        assertThat(users.disable(owner.id())).isFalse();
        assertThat(users.setRole(bob.id(), "owner")).isTrue();
        assertThat(users.setRole(owner.id(), "viewer")).isTrue();
        assertThat(users.find(owner.id()).orElseThrow().role()).isEqualTo("viewer");
    }

    @Test
    void sessions_end_idle_expired_signed_out_and_with_their_disabled_user() {
        UserRecord ann = made(users.createFirstOwner("ann@example.com", "h1"));
        Instant now = clock.instant();
        sessions.create(new SessionRecord("s1", ann.id(), "csrf1", now, now, now.plus(Duration.ofHours(12)), "a", "ua"), "x1");
        sessions.create(new SessionRecord("s2", ann.id(), "csrf2", now, now, now.plus(Duration.ofHours(1)), "a", "ua"), "x2");
        Instant idle = now.minus(Duration.ofMinutes(30));
        assertThat(sessions.findLive("x1", now, idle)).map(SessionRecord::csrfToken).contains("csrf1");
        assertThat(sessions.listLive(ann.id(), now, idle)).extracting(SessionRecord::id).containsExactly("s1", "s2");

        Instant later = now.plus(Duration.ofMinutes(40));
        assertThat(sessions.findLive("x1", later, later.minus(Duration.ofMinutes(30)))).isEmpty();   // idle
        sessions.touch("s1", now.plus(Duration.ofMinutes(20)));
        assertThat(sessions.findLive("x1", later, later.minus(Duration.ofMinutes(30)))).isPresent();
        Instant past = now.plus(Duration.ofHours(2));
        sessions.touch("s2", past.minusSeconds(1));
        assertThat(sessions.findLive("x2", past, past.minus(Duration.ofHours(1)))).isEmpty();   // absolute end

        assertThat(sessions.delete(ann.id(), "s2")).isTrue();
        assertThat(sessions.delete(ann.id() + 1, "s1")).isFalse();
        UserRecord bob = made(users.create("bob@example.com", "h2", "editor"));
        sessions.create(new SessionRecord("s3", bob.id(), "csrf3", now, now, now.plus(Duration.ofHours(12)), "a", "ua"), "x3");
        assertThat(users.disable(bob.id())).isTrue();
        assertThat(sessions.findLive("x3", now, idle)).isEmpty();
        users.enable(bob.id());
        assertThat(sessions.findLive("x3", now, idle)).isEmpty();   // ended, not merely hidden

        users.setPassword(ann.id(), "h9");
        assertThat(sessions.findLive("x1", now, idle)).isEmpty();
        assertThat(users.find(ann.id()).orElseThrow().passwordHash()).isEqualTo("h9");
    }

    @Test
    void an_invitation_makes_one_user_once_and_never_after_it_expires() {
        users.createFirstOwner("ann@example.com", "h1");
        users.invite("t1", "runner", "ann@example.com", clock.instant().plus(Duration.ofHours(1)));
        users.invite("t2", "editor", "ann@example.com", clock.instant().plus(Duration.ofHours(1)));
        assertThat(users.acceptInvitation("t1", "ann@example.com", "h")).isEmpty();   // email taken: not spent
        assertThat(users.acceptInvitation("t1", "cy@example.com", "h").orElseThrow().role()).isEqualTo("runner");
        assertThat(users.acceptInvitation("t1", "dee@example.com", "h")).isEmpty();
        assertThat(users.acceptInvitation("forged", "dee@example.com", "h")).isEmpty();
        clock.advance(Duration.ofHours(2));
        assertThat(users.acceptInvitation("t2", "dee@example.com", "h")).isEmpty();
        assertThat(users.findByEmail("dee@example.com")).isEmpty();
    }

    @Test
    void the_audit_log_filters_pages_newest_first_and_forgets_by_age() {
        Instant t0 = clock.instant();
        audit.append(t0, "ann@example.com", "flow.create", "flow", "1", null, "127.0.0.1");
        audit.append(t0.plusSeconds(10), "bob@example.com", "flow.delete", "flow", "1", null, null);
        audit.append(t0.plusSeconds(20), "ann@example.com", "key.create", "key", "k1", "{\"name\":\"x\"}", null);
        List<AuditEntry> all = audit.read(new JdbcAuditLog.Query(null, null, null, null, null, null, null, 10));
        assertThat(all).extracting(AuditEntry::action).containsExactly("key.create", "flow.delete", "flow.create");
        assertThat(audit.read(new JdbcAuditLog.Query("ann@example.com", null, null, null, null, null, null, 10)))
                .extracting(AuditEntry::action).containsExactly("key.create", "flow.create");
        assertThat(audit.read(new JdbcAuditLog.Query(null, null, "flow", "1", t0.plusSeconds(5), null, null, 10)))
                .extracting(AuditEntry::action).containsExactly("flow.delete");
        List<AuditEntry> page = audit.read(new JdbcAuditLog.Query(null, null, null, null, null, null, null, 2));
        assertThat(audit.read(new JdbcAuditLog.Query(null, null, null, null, null, null, page.get(1).id(), 2)))
                .extracting(AuditEntry::action).containsExactly("flow.create");
        assertThat(audit.deleteBefore(t0.plusSeconds(15))).isEqualTo(2);
        assertThat(audit.read(new JdbcAuditLog.Query(null, null, null, null, null, null, null, 10))).hasSize(1);
    }
}
