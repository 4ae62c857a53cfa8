package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.engine.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What V19 keeps, on every database Weft runs on: a sign-in under way is taken once, and an identity links one
 * provider subject to one user, made with its membership in one step.
 */
abstract class OidcStoreContract {

    final ManualClock clock = new ManualClock();
    Database database;
    JdbcOidcStore oidc;
    JdbcUserStore users;

    abstract Database openFresh();

    @BeforeEach
    void open() {
        database = openFresh();
        oidc = new JdbcOidcStore(database, clock);
        users = new JdbcUserStore(database, clock);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void a_sign_in_under_way_is_taken_once_and_expired_ones_are_forgotten() {
        Instant now = clock.instant();
        oidc.save("s1", new OidcRequestRecord("b1", "n1", "v1", "http://weft/cb", now, now.plus(Duration.ofMinutes(10))));
        OidcRequestRecord taken = oidc.take("s1").orElseThrow();
        assertThat(taken.nonce()).isEqualTo("n1");
        assertThat(taken.codeVerifier()).isEqualTo("v1");
        assertThat(taken.browserHash()).isEqualTo("b1");
        assertThat(oidc.take("s1")).isEmpty();
        assertThat(oidc.take("never")).isEmpty();

        oidc.save("old", new OidcRequestRecord("b", "n", "v", "u", now, now.plus(Duration.ofMinutes(10))));
        clock.advance(Duration.ofMinutes(11));
        oidc.save("new", new OidcRequestRecord("b", "n", "v", "u", clock.instant(), clock.instant().plus(Duration.ofMinutes(10))));
        assertThat(oidc.take("old")).isEmpty();
        assertThat(oidc.take("new")).isPresent();
    }

    @Test
    void a_first_sign_in_makes_one_user_with_its_role_and_identity_and_an_email_in_use_makes_none() {
        long made = oidc.createUser("https://idp", "sub-1", "sam@example.com", "!none", "editor").orElseThrow();
        assertThat(users.find(made).orElseThrow().role()).isEqualTo("editor");
        assertThat(oidc.userOf("https://idp", "sub-1", "sam@example.com")).contains(made);
        assertThat(oidc.userOf("https://other-idp", "sub-1", "sam@example.com")).isEmpty();
        // the same subject again, or another subject with a taken email: nothing made
        assertThat(oidc.createUser("https://idp", "sub-1", "sam2@example.com", "!none", "viewer")).isEmpty();
        assertThat(oidc.createUser("https://idp", "sub-2", "sam@example.com", "!none", "viewer")).isEmpty();
        assertThat(users.list()).hasSize(1);
        // an existing user is linked once
        assertThat(users.create("kim@example.com", "h", "runner")).isInstanceOf(JdbcUserStore.Made.class);
        long kim = users.findByEmail("kim@example.com").orElseThrow().id();
        assertThat(oidc.link("https://idp", "sub-3", kim, "kim@example.com")).isTrue();
        assertThat(oidc.link("https://idp", "sub-3", made, "kim@example.com")).isFalse();
        assertThat(oidc.userOf("https://idp", "sub-3", "kim@example.com")).contains(kim);
    }
}
