package dev.weft.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.testing.ManualClock;
import dev.weft.store.Database;
import dev.weft.store.JdbcSessionStore;
import dev.weft.store.JdbcUserStore;
import dev.weft.store.UserRecord;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sessions kept in the database: idle and absolute ends, sign-out, and a second process that sees the same ones. */
class SessionsTest {

    final ManualClock clock = new ManualClock();
    Database database;
    Sessions sessions;
    UserRecord ann;

    @BeforeEach
    void open() throws Exception {
        database = Database.openSqlite(Files.createTempDirectory("weft-sessions"));
        sessions = new Sessions(new JdbcSessionStore(database), clock, Duration.ofHours(12), Duration.ofHours(2));
        ann = ((JdbcUserStore.Made) new JdbcUserStore(database, clock).createFirstOwner("ann@example.com", "h")).user();
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void a_used_session_lives_until_its_absolute_end_and_an_unused_one_until_it_is_idle() {
        Sessions.Created busy = sessions.create(ann.id(), "127.0.0.1", "test");
        Sessions.Created quiet = sessions.create(ann.id(), "127.0.0.1", "test");
        assertThat(busy.cookieValue()).isNotEqualTo(quiet.cookieValue());
        for (int hour = 1; hour < 12; hour++) {
            clock.advance(Duration.ofHours(1));
            assertThat(sessions.find(busy.cookieValue())).as("hour " + hour).isPresent();
        }
        assertThat(sessions.find(quiet.cookieValue())).isEmpty();   // idle for 11 hours
        clock.advance(Duration.ofHours(1));
        assertThat(sessions.find(busy.cookieValue())).isEmpty();    // 12 hours: the absolute end
        assertThat(sessions.prune()).isEqualTo(2);
    }

    @Test
    void sign_out_ends_only_that_session_and_another_process_sees_the_same_sessions() {
        Sessions.Created one = sessions.create(ann.id(), "a", null);
        Sessions.Created two = sessions.create(ann.id(), "b", null);
        Sessions other = new Sessions(new JdbcSessionStore(database), clock, Duration.ofHours(12), Duration.ofHours(2));
        assertThat(other.find(one.cookieValue()).orElseThrow().csrfToken()).isEqualTo(one.session().csrfToken());
        sessions.end(one.cookieValue());
        assertThat(other.find(one.cookieValue())).isEmpty();
        assertThat(other.find(two.cookieValue())).isPresent();
        assertThat(sessions.find("not-a-session")).isEmpty();
        assertThat(sessions.list(ann.id())).extracting(s -> s.id()).containsExactly(two.session().id());
        assertThat(sessions.endAll(ann.id())).isEqualTo(1);
        assertThat(other.find(two.cookieValue())).isEmpty();
    }
}
